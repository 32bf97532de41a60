package org.sluice.core.internal.mail;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

@Entity
@Table(name = "message")
@NamedQuery(name = "Message.byIdentity", query = "SELECT m FROM MessageEntity m WHERE m.identityHash = :hash")
public class MessageEntity {

    @Id
    @SequenceGenerator(name = "seq_message", sequenceName = "seq_message", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_message")
    Long id;

    @Column(name = "identity_key", nullable = false)
    String identityKey;

    @Column(name = "identity_hash", nullable = false)
    String identityHash;

    @Column(name = "message_id")
    String messageId;

    @Column(name = "fingerprint")
    String fingerprint;

    @Column(name = "sender")
    String sender;

    @Column(name = "subject")
    String subject;

    @Column(name = "sent_at")
    Instant sentAt;

    @Column(name = "raw_sha256")
    String rawSha256;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return MessageEntity.class.hashCode();
    }
}
