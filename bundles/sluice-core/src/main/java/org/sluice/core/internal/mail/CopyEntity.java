package org.sluice.core.internal.mail;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;
import org.sluice.api.mail.MessageRegistry.CopyState;
import org.sluice.api.mail.MessageRegistry.FoundBy;

@Entity
@Table(name = "mail_copy")
@NamedQuery(name = "Copy.byMessage", query = "SELECT c FROM CopyEntity c WHERE c.messageId = :message ORDER BY c.id")
@NamedQuery(
        name = "Copy.byProviderId",
        query = "SELECT c FROM CopyEntity c WHERE c.messageId = :message AND c.mailboxId = :mailbox"
                + " AND c.providerId = :providerId")
public class CopyEntity {

    @Id
    @SequenceGenerator(name = "seq_mail_copy", sequenceName = "seq_mail_copy", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_mail_copy")
    Long id;

    @Column(name = "message_id", nullable = false)
    long messageId;

    @Column(name = "mailbox_id", nullable = false)
    long mailboxId;

    @Column(name = "connector")
    String connector;

    @Column(name = "folder")
    String folder;

    @Column(name = "provider_id")
    String providerId;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    CopyState state;

    @Enumerated(EnumType.STRING)
    @Column(name = "found_by", nullable = false)
    FoundBy foundBy;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof CopyEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return CopyEntity.class.hashCode();
    }
}
