package org.sluice.core.internal.quarantine;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

/**
 * One copy in the quarantine vault: the mailbox and folder it was taken from, its provider id there, and the SHA-256
 * of its raw bytes in the raw-mail store. Its status moves {@code vaulted} (bytes stored, removal not confirmed) to
 * {@code quarantined}, and on undo {@code restoring} to {@code restored}; {@code failed} when removal was refused.
 */
@Entity
@Table(name = "quarantine_entry")
@NamedQuery(
        name = "QuarantineEntry.byJob",
        query = "SELECT e FROM QuarantineEntryEntity e WHERE e.jobId = :job ORDER BY e.id")
@NamedQuery(
        name = "QuarantineEntry.byIncident",
        query = "SELECT e FROM QuarantineEntryEntity e WHERE e.incidentId = :incident ORDER BY e.id")
public class QuarantineEntryEntity {

    static final String VAULTED = "vaulted";
    static final String QUARANTINED = "quarantined";
    static final String RESTORING = "restoring";
    static final String RESTORED = "restored";
    static final String FAILED = "failed";

    @Id
    @SequenceGenerator(name = "seq_quarantine_entry", sequenceName = "seq_quarantine_entry", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_quarantine_entry")
    Long id;

    @Column(name = "incident_id")
    Long incidentId;

    @Column(name = "job_id", nullable = false)
    long jobId;

    @Column(name = "mailbox", nullable = false)
    String mailbox;

    @Column(name = "connector", nullable = false)
    String connector;

    @Column(name = "message_id")
    String messageId;

    @Column(name = "folder", nullable = false)
    String folder;

    @Column(name = "provider_id", nullable = false)
    String providerId;

    @Column(name = "raw_sha256")
    String rawSha256;

    @Column(name = "status", nullable = false)
    String status;

    @Column(name = "recipient_type", nullable = false)
    String recipientType;

    @Column(name = "alert_source")
    String alertSource;

    /** The search that found the copy, as a JSON object of the quarantine job's query parameters. */
    @Column(name = "query_json")
    String queryJson;

    @Column(name = "started_at", nullable = false)
    Instant startedAt;

    @Column(name = "ended_at")
    Instant endedAt;

    @Column(name = "undone_at")
    Instant undoneAt;

    @Column(name = "restored_provider_id")
    String restoredProviderId;

    @Column(name = "detail")
    String detail;

    /** Whether the user had read the copy when it was found; {@code null} when the connector did not say. */
    @Column(name = "is_read")
    Boolean read;

    @Override
    public boolean equals(Object other) {
        return other instanceof QuarantineEntryEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return QuarantineEntryEntity.class.hashCode();
    }
}
