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
import org.sluice.api.mail.MessageRegistry.FoundBy;

@Entity
@Table(name = "mailbox")
@NamedQuery(name = "Mailbox.byAddress", query = "SELECT m FROM MailboxEntity m WHERE m.address = :address")
public class MailboxEntity {

    @Id
    @SequenceGenerator(name = "seq_mailbox", sequenceName = "seq_mailbox", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_mailbox")
    Long id;

    @Column(name = "address", nullable = false)
    String address;

    @Column(name = "primary_address", nullable = false)
    String primaryAddress;

    @Enumerated(EnumType.STRING)
    @Column(name = "found_by", nullable = false)
    FoundBy foundBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof MailboxEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return MailboxEntity.class.hashCode();
    }
}
