package org.sluice.core.internal.quarantine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.quarantine.QuarantineService.Counts;
import org.sluice.api.quarantine.QuarantineService.QuarantineResult;
import org.sluice.api.response.JobState;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.db.Json;

/** The quarantine vault's rows: one per copy taken out of a mailbox, each change in its own short transaction. */
class Vault {

    static final String QUARANTINE_PREFIX = "quarantine:";
    static final String UNDO_PREFIX = "undo:";

    private final Database database;

    Vault(Database database) {
        this.database = database;
    }

    List<QuarantineEntryEntity> byJob(long jobId) {
        return database.inTransaction(em -> em.createNamedQuery("QuarantineEntry.byJob", QuarantineEntryEntity.class)
                .setParameter("job", jobId)
                .getResultList());
    }

    List<QuarantineEntryEntity> byIncident(long incidentId) {
        return database.inTransaction(
                em -> em.createNamedQuery("QuarantineEntry.byIncident", QuarantineEntryEntity.class)
                        .setParameter("incident", incidentId)
                        .getResultList());
    }

    /** Entries of earlier jobs for the same incident, mailbox and message that took the copy out already. */
    long quarantinedElsewhere(Long incidentId, String mailbox, String messageId) {
        if (incidentId == null || messageId == null) {
            return 0;
        }
        return database.inTransaction(em -> em.createQuery(
                        "SELECT COUNT(e) FROM QuarantineEntryEntity e WHERE e.incidentId = :incident"
                                + " AND e.mailbox = :mailbox AND e.messageId = :message AND e.status = :status",
                        Long.class)
                .setParameter("incident", incidentId)
                .setParameter("mailbox", mailbox)
                .setParameter("message", messageId)
                .setParameter("status", QuarantineEntryEntity.QUARANTINED)
                .getSingleResult());
    }

    QuarantineEntryEntity find(long entryId) {
        return database.inTransaction(em -> em.find(QuarantineEntryEntity.class, entryId));
    }

    /** Records a copy whose raw bytes are now in the raw-mail store, before it is removed from the mailbox. */
    QuarantineEntryEntity vaulted(
            long jobId,
            Long incidentId,
            String connector,
            MailboxCopy copy,
            String messageId,
            String sha256,
            Map<String, String> job,
            Instant at) {
        return database.inTransaction(em -> {
            QuarantineEntryEntity e = new QuarantineEntryEntity();
            e.jobId = jobId;
            e.incidentId = incidentId;
            e.mailbox = copy.mailbox();
            e.connector = connector;
            e.messageId = messageId;
            e.folder = copy.folder();
            e.providerId = copy.providerId();
            e.rawSha256 = sha256;
            e.status = QuarantineEntryEntity.VAULTED;
            e.recipientType = job.getOrDefault(QuarantineParams.RECIPIENT_TYPE, "Original Recipient");
            e.alertSource = job.get(QuarantineParams.ALERT_SOURCE);
            e.queryJson = Json.write(QuarantineParams.query(job));
            e.startedAt = at;
            e.read = copy.read();
            em.persist(e);
            return e;
        });
    }

    /**
     * The provider ids in the entry's folder that belong to other entries of the same mailbox: copies other undos put
     * back, and copies whose removal was refused or is not confirmed. Such a copy is never taken for this entry's.
     */
    Set<String> idsTakenBesides(QuarantineEntryEntity entry) {
        return database.inTransaction(em -> {
            Set<String> out = new HashSet<>();
            for (QuarantineEntryEntity other : em.createQuery(
                            "SELECT e FROM QuarantineEntryEntity e WHERE e.connector = :connector"
                                    + " AND e.mailbox = :mailbox AND e.id <> :id",
                            QuarantineEntryEntity.class)
                    .setParameter("connector", entry.connector)
                    .setParameter("mailbox", entry.mailbox)
                    .setParameter("id", entry.id)
                    .getResultList()) {
                if (other.restoredProviderId != null && entry.folder.equals(other.folder)) {
                    out.add(other.restoredProviderId);
                }
                if (other.status.equals(QuarantineEntryEntity.FAILED)
                        || other.status.equals(QuarantineEntryEntity.VAULTED)) {
                    out.add(other.providerId);
                }
            }
            return out;
        });
    }

    /**
     * Records that the copy {@code restoredId} in the entry's folder is the entry's copy put back, unless another entry
     * of the mailbox claimed that copy already. A unique index on the restored id per connector, mailbox and folder
     * keeps two concurrent claims from both succeeding.
     *
     * @return whether this entry now owns the copy
     */
    boolean claimRestored(long entryId, String restoredId, String detail, Instant at) {
        return database.inTransaction(em -> {
            QuarantineEntryEntity e = em.find(QuarantineEntryEntity.class, entryId);
            if (e == null) {
                return false;
            }
            long taken = em.createQuery(
                            "SELECT COUNT(o) FROM QuarantineEntryEntity o WHERE o.connector = :connector"
                                    + " AND o.mailbox = :mailbox AND o.folder = :folder AND o.restoredProviderId = :rid"
                                    + " AND o.id <> :id",
                            Long.class)
                    .setParameter("connector", e.connector)
                    .setParameter("mailbox", e.mailbox)
                    .setParameter("folder", e.folder)
                    .setParameter("rid", restoredId)
                    .setParameter("id", entryId)
                    .getSingleResult();
            if (taken > 0) {
                return false;
            }
            e.status = QuarantineEntryEntity.RESTORED;
            e.detail = detail;
            e.undoneAt = at;
            e.restoredProviderId = restoredId;
            em.flush();
            return true;
        });
    }

    /** Sets an entry's status and detail; {@code endedAt} and {@code undoneAt} are kept when {@code null}. */
    void update(long entryId, String status, String detail, Instant endedAt, Instant undoneAt, String restoredId) {
        database.inTransaction(em -> {
            QuarantineEntryEntity e = em.find(QuarantineEntryEntity.class, entryId);
            if (e != null) {
                e.status = status;
                e.detail = detail == null ? null : detail.substring(0, Math.min(detail.length(), 2000));
                if (endedAt != null) {
                    e.endedAt = endedAt;
                }
                if (undoneAt != null) {
                    e.undoneAt = undoneAt;
                }
                if (restoredId != null) {
                    e.restoredProviderId = restoredId;
                }
            }
            return null;
        });
    }

    /** Vault entries of the incident, then one result per failed quarantine job that vaulted nothing. */
    List<QuarantineResult> results(long incidentId) {
        return database.inTransaction(em -> {
            List<QuarantineResult> out = new ArrayList<>();
            List<QuarantineEntryEntity> entries = em.createNamedQuery(
                            "QuarantineEntry.byIncident", QuarantineEntryEntity.class)
                    .setParameter("incident", incidentId)
                    .getResultList();
            java.util.Set<Long> jobsWithEntries = new java.util.HashSet<>();
            for (QuarantineEntryEntity e : entries) {
                jobsWithEntries.add(e.jobId);
                out.add(new QuarantineResult(
                        e.id,
                        incidentId,
                        e.jobId,
                        e.mailbox,
                        e.connector,
                        e.messageId,
                        e.folder,
                        e.providerId,
                        e.rawSha256,
                        e.status,
                        e.recipientType,
                        e.alertSource,
                        e.startedAt,
                        e.endedAt,
                        e.undoneAt,
                        e.restoredProviderId,
                        e.detail,
                        e.read));
            }
            List<Object[]> failed = em.createQuery(
                            "SELECT r.id, r.target, r.parametersJson, r.createdAt, r.updatedAt, r.lastDetail, r.typeName"
                                    + " FROM ResponseJobEntity r WHERE r.incidentId = :incident AND r.state = :state"
                                    + " AND r.typeName LIKE :prefix ORDER BY r.id",
                            Object[].class)
                    .setParameter("incident", incidentId)
                    .setParameter("state", JobState.FAILED)
                    .setParameter("prefix", QUARANTINE_PREFIX + "%")
                    .getResultList();
            for (Object[] row : failed) {
                long jobId = ((Number) row[0]).longValue();
                if (jobsWithEntries.contains(jobId)) {
                    continue;
                }
                Map<String, String> params = Json.readStrings((String) row[2]);
                params = params == null ? Map.of() : params;
                out.add(new QuarantineResult(
                        0,
                        incidentId,
                        jobId,
                        (String) row[1],
                        ((String) row[6]).substring(QUARANTINE_PREFIX.length()),
                        params.get(QuarantineParams.MESSAGE_ID),
                        null,
                        null,
                        null,
                        QuarantineEntryEntity.FAILED,
                        params.getOrDefault(QuarantineParams.RECIPIENT_TYPE, "Original Recipient"),
                        params.get(QuarantineParams.ALERT_SOURCE),
                        (Instant) row[3],
                        (Instant) row[4],
                        null,
                        null,
                        (String) row[5],
                        null));
            }
            return out;
        });
    }

    Counts counts(long incidentId) {
        return database.inTransaction(em -> {
            long successful = 0;
            long failedCopies = 0;
            for (Object[] row : em.createQuery(
                            "SELECT e.status, COUNT(e) FROM QuarantineEntryEntity e WHERE e.incidentId = :incident"
                                    + " GROUP BY e.status",
                            Object[].class)
                    .setParameter("incident", incidentId)
                    .getResultList()) {
                String status = (String) row[0];
                long n = ((Number) row[1]).longValue();
                if (status.equals(QuarantineEntryEntity.FAILED)) {
                    failedCopies += n;
                } else if (!status.equals(QuarantineEntryEntity.VAULTED)) {
                    successful += n;
                }
            }
            long pending = 0;
            long failedJobs = 0;
            long notFound = 0;
            for (Object[] row : em.createQuery(
                            "SELECT r.state, COUNT(r) FROM ResponseJobEntity r WHERE r.incidentId = :incident"
                                    + " AND r.typeName LIKE :prefix GROUP BY r.state",
                            Object[].class)
                    .setParameter("incident", incidentId)
                    .setParameter("prefix", QUARANTINE_PREFIX + "%")
                    .getResultList()) {
                JobState state = (JobState) row[0];
                long n = ((Number) row[1]).longValue();
                switch (state) {
                    case QUEUED, RUNNING -> pending += n;
                    case FAILED -> failedJobs += n;
                    case NOT_FOUND -> notFound += n;
                    default -> {}
                }
            }
            long failedJobsWithoutCopies = failedJobs == 0
                    ? 0
                    : em.createQuery(
                                    "SELECT COUNT(r) FROM ResponseJobEntity r WHERE r.incidentId = :incident"
                                            + " AND r.typeName LIKE :prefix AND r.state = :state AND NOT EXISTS"
                                            + " (SELECT e FROM QuarantineEntryEntity e WHERE e.jobId = r.id)",
                                    Long.class)
                            .setParameter("incident", incidentId)
                            .setParameter("prefix", QUARANTINE_PREFIX + "%")
                            .setParameter("state", JobState.FAILED)
                            .getSingleResult();
            return new Counts(successful, failedCopies + failedJobsWithoutCopies, pending, notFound);
        });
    }
}
