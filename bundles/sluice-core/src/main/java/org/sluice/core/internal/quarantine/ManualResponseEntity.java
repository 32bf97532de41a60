package org.sluice.core.internal.quarantine;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

/** A manual quarantine or undo request (SPEC R3): what was asked, by whom, with which notification template. */
@Entity
@Table(name = "manual_response")
public class ManualResponseEntity {

    @Id
    @SequenceGenerator(name = "seq_manual_response", sequenceName = "seq_manual_response", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_manual_response")
    Long id;

    @Column(name = "kind", nullable = false)
    String kind;

    /** The incident ids as a JSON array. */
    @Column(name = "incident_ids", nullable = false)
    String incidentIds;

    @Column(name = "template")
    String template;

    @Column(name = "requested_by", nullable = false)
    String requestedBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    /** When the request's notices were claimed for sending (SPEC N2); null until its jobs all ended. */
    @Column(name = "noticed_at")
    Instant noticedAt;

    /** What became of the notices: how many were queued, or why none were. */
    @Column(name = "notice_outcome")
    String noticeOutcome;

    @Override
    public boolean equals(Object other) {
        return other instanceof ManualResponseEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return ManualResponseEntity.class.hashCode();
    }
}
