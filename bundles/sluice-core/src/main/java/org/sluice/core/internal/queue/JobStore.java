package org.sluice.core.internal.queue;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseAttempt;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseRequest;
import org.sluice.api.security.Actor;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.db.Json;

/**
 * The worker's side of the queue table: claiming a due job, recording an attempt, giving a claim back. Each method is
 * one short transaction.
 *
 * <p>Claims are race-free across threads and nodes: a claim is a conditional UPDATE that checks the attempt count seen
 * a moment before and increments it, so of two transactions that saw the same row, the second updates nothing (on
 * PostgreSQL it waits for the first and then re-evaluates its condition; H2 locks the row likewise). The attempt count
 * after the claim is the claim's fencing token: a node records an outcome into the job only while the job is still
 * RUNNING under its name and token, so a cancelled or re-claimed job keeps what happened to it since.
 */
final class JobStore {

    static final String AUDIT_TARGET = "response_job";
    static final int MAX_DETAIL = 2_000;
    private static final int MAX_PROVIDER_STATUS = 255;
    private static final int CANDIDATES = 8;

    /** How the detail of an attempt whose node stopped renewing its lease starts. */
    static final String TAKEN_OVER = "taken over";

    private static final String DUE = "SELECT j.id, j.attempts, j.maxAttempts, j.state, j.claimedBy, j.updatedAt"
            + " FROM ResponseJobEntity j"
            + " WHERE j.typeName IN :types AND ((j.state = :queued AND j.nextAttemptAt <= :now)"
            + " OR (j.state = :running AND j.leaseUntil < :now)) ORDER BY j.nextAttemptAt, j.id";

    private static final String CLAIM = "UPDATE response_job SET state = 'RUNNING', claimed_by = ?1, lease_until = ?2,"
            + " attempts = attempts + 1, updated_at = ?3 WHERE id = ?4 AND attempts = ?5"
            + " AND ((state = 'QUEUED' AND next_attempt_at <= ?6) OR (state = 'RUNNING' AND lease_until < ?7))";

    private static final String FAIL_EXPIRED = "UPDATE response_job SET state = 'FAILED', lease_until = NULL,"
            + " updated_at = ?1, last_detail = ?2 WHERE id = ?3 AND attempts = ?4 AND state = 'RUNNING'"
            + " AND lease_until < ?5";

    private static final String RELEASE = "UPDATE response_job SET state = 'QUEUED', attempts = attempts - 1,"
            + " claimed_by = NULL, lease_until = NULL, updated_at = ?1"
            + " WHERE id = ?2 AND attempts = ?3 AND state = 'RUNNING' AND claimed_by = ?4";

    private static final Actor WORKER = Actor.system("response-queue");

    /**
     * A job this node holds.
     *
     * @param attempt the number of the attempt this claim is for, also the fencing token
     */
    record Claim(long jobId, int attempt, int maxAttempts, ResponseRequest request) {}

    private final Database database;

    JobStore(Database database) {
        this.database = database;
    }

    /**
     * Claims the most overdue job of one of {@code types} that is QUEUED and due, or RUNNING with an expired lease.
     * A job whose lease expired on its last allowed attempt is not run again: it fails, because its outcome is
     * unknown and its budget spent ({@code retryNow} can give it another attempt).
     */
    Optional<Claim> claim(Set<String> types, String node, Instant now, Instant leaseUntil) {
        if (types.isEmpty()) {
            return Optional.empty();
        }
        return database.inTransaction(em -> {
            List<Object[]> due = em.createQuery(DUE, Object[].class)
                    .setParameter("types", List.copyOf(types))
                    .setParameter("queued", JobState.QUEUED)
                    .setParameter("running", JobState.RUNNING)
                    .setParameter("now", now)
                    .setMaxResults(CANDIDATES)
                    .getResultList();
            for (Object[] row : due) {
                long id = ((Number) row[0]).longValue();
                int seen = ((Number) row[1]).intValue();
                int maxAttempts = ((Number) row[2]).intValue();
                boolean takeOver = row[3] == JobState.RUNNING;
                if (takeOver && seen >= maxAttempts) {
                    if (failExpired(em, id, seen, now)) {
                        recordLost(em, id, seen, (String) row[4], (Instant) row[5], now);
                    }
                    continue;
                }
                int updated = em.createNativeQuery(CLAIM)
                        .setParameter(1, node)
                        .setParameter(2, leaseUntil.toEpochMilli())
                        .setParameter(3, now.toEpochMilli())
                        .setParameter(4, id)
                        .setParameter(5, seen)
                        .setParameter(6, now.toEpochMilli())
                        .setParameter(7, now.toEpochMilli())
                        .executeUpdate();
                if (updated == 1) {
                    if (takeOver) {
                        recordLost(em, id, seen, (String) row[4], (Instant) row[5], now);
                    }
                    ResponseJobEntity job = em.find(ResponseJobEntity.class, id);
                    ResponseRequest request = new ResponseRequest(
                            job.id,
                            job.typeName,
                            job.incidentId,
                            job.target,
                            parameters(job.parametersJson),
                            job.attempts);
                    return Optional.of(new Claim(job.id, job.attempts, job.maxAttempts, request));
                }
            }
            return Optional.empty();
        });
    }

    /**
     * Records the attempt of a node whose lease ran out (it died, or the attempt outlasted the lease) as taken over,
     * so that the attempt history has every attempt; its outcome is unknown, and the next attempt checks before it
     * acts. A node that was only slow still records its own row for the attempt when it ends.
     */
    private static void recordLost(EntityManager em, long id, int number, String node, Instant claimedAt, Instant now) {
        ResponseAttemptEntity attempt = new ResponseAttemptEntity();
        attempt.jobId = id;
        attempt.number = number;
        attempt.node = node == null ? "unknown" : node;
        attempt.startedAt = claimedAt == null ? now : claimedAt;
        attempt.endedAt = now;
        attempt.status = ResponseOutcome.Status.RETRYABLE;
        attempt.detail = TAKEN_OVER + ": the lease of node '" + attempt.node + "' ran out during this attempt (the node"
                + " died, or the attempt outlasted the lease); its outcome is unknown";
        attempt.nextAttemptAt = now;
        em.persist(attempt);
    }

    private static boolean failExpired(EntityManager em, long id, int seen, Instant now) {
        String detail = "the node running its last allowed attempt stopped renewing its lease; the outcome of that"
                + " attempt is unknown";
        int updated = em.createNativeQuery(FAIL_EXPIRED)
                .setParameter(1, now.toEpochMilli())
                .setParameter(2, detail)
                .setParameter(3, id)
                .setParameter(4, seen)
                .setParameter(5, now.toEpochMilli())
                .executeUpdate();
        if (updated == 1) {
            AuditLogImpl.append(
                    em, WORKER, "response.finish", AUDIT_TARGET, String.valueOf(id), "failed: " + detail, now);
        }
        return updated == 1;
    }

    /**
     * Records an attempt and, if this node still holds the claim, moves the job to {@code next}. The attempt is
     * recorded in either case.
     *
     * @return whether the job took {@code next}; {@code false} when it was cancelled, re-claimed or deleted meanwhile
     */
    boolean record(
            Claim claim, String node, Instant startedAt, Instant endedAt, ResponseOutcome outcome, NextStep next) {
        return database.inTransaction(em -> {
            ResponseJobEntity job = em.find(ResponseJobEntity.class, claim.jobId(), LockModeType.PESSIMISTIC_WRITE);
            if (job == null) {
                return false;
            }
            boolean holds =
                    job.state == JobState.RUNNING && node.equals(job.claimedBy) && job.attempts == claim.attempt();

            ResponseAttemptEntity attempt = new ResponseAttemptEntity();
            attempt.jobId = job.id;
            attempt.number = claim.attempt();
            attempt.node = node;
            attempt.startedAt = startedAt;
            attempt.endedAt = endedAt;
            attempt.status = outcome.status();
            attempt.providerStatus = truncate(outcome.providerStatus(), MAX_PROVIDER_STATUS);
            attempt.detail = truncate(outcome.detail(), MAX_DETAIL);
            attempt.nextAttemptAt = holds ? next.nextAttemptAt() : null;
            em.persist(attempt);

            if (holds) {
                job.state = next.state();
                job.leaseUntil = null;
                job.updatedAt = endedAt;
                job.lastDetail = truncate(outcome.detail(), MAX_DETAIL);
                if (next.state() == JobState.QUEUED) {
                    job.nextAttemptAt = next.nextAttemptAt();
                    job.claimedBy = null;
                } else {
                    AuditLogImpl.append(
                            em,
                            WORKER,
                            "response.finish",
                            AUDIT_TARGET,
                            String.valueOf(job.id),
                            next.state().name().toLowerCase(Locale.ROOT) + " after attempt " + claim.attempt() + ": "
                                    + truncate(outcome.detail(), 500),
                            endedAt);
                }
            }
            return holds;
        });
    }

    /** Gives a claim back without counting its attempt, as when the job's type left before the call. */
    boolean release(Claim claim, String node, Instant now) {
        return database.inTransaction(em -> em.createNativeQuery(RELEASE)
                        .setParameter(1, now.toEpochMilli())
                        .setParameter(2, claim.jobId())
                        .setParameter(3, claim.attempt())
                        .setParameter(4, node)
                        .executeUpdate()
                == 1);
    }

    static ResponseJob toJob(ResponseJobEntity e) {
        return new ResponseJob(
                e.id,
                e.typeName,
                e.incidentId,
                e.target,
                parameters(e.parametersJson),
                e.state,
                e.attempts,
                e.maxAttempts,
                e.nextAttemptAt,
                e.claimedBy,
                e.leaseUntil,
                e.createdAt,
                e.updatedAt,
                e.lastDetail);
    }

    static ResponseAttempt toAttempt(ResponseAttemptEntity a) {
        return new ResponseAttempt(
                a.jobId,
                a.number,
                a.node,
                a.startedAt,
                a.endedAt,
                a.status,
                a.providerStatus,
                a.detail,
                a.nextAttemptAt);
    }

    private static Map<String, String> parameters(String json) {
        Map<String, String> parameters = Json.readStrings(json);
        return parameters == null ? Map.of() : parameters;
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
