package org.sluice.core.internal.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.TypedQuery;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Page;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseAttempt;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.SettingsService;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.db.Json;

/**
 * The persistent response queue on JPA: queueing, reading and the admin actions (retry now, cancel), each change
 * audited in its own transaction. Running the jobs is {@link ResponseWorker}'s part.
 *
 * <p>Times come from a {@link Clock} service with the property {@code sluice.clock} when one is registered (tests),
 * otherwise from the system clock in UTC.
 */
@Component(service = ResponseQueue.class)
public class ResponseQueueImpl implements ResponseQueue {

    static final int MAX_TYPE = 64;
    static final int MAX_TARGET = 1_000;
    static final int MAX_PAGE = 1_000;

    private final Database database;
    private final SettingsService settings;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(sluice.clock=*)")
    private volatile Clock clock;

    /** Jobs queued without their own attempt budget get the global "Quarantine Settings" number of attempts. */
    @Activate
    public ResponseQueueImpl(@Reference Database database, @Reference SettingsService settings) {
        this.database = database;
        this.settings = settings;
    }

    private Instant now() {
        Clock injected = clock;
        return (injected == null ? Clock.systemUTC() : injected).instant();
    }

    @Override
    public ResponseJob enqueue(
            String type, Long incidentId, String target, Map<String, String> parameters, int maxAttempts, Actor actor) {
        if (type == null || type.isBlank() || type.length() > MAX_TYPE) {
            throw new ValidationException("type", "must be 1 to " + MAX_TYPE + " characters");
        }
        if (target == null || target.length() > MAX_TARGET) {
            throw new ValidationException("target", "must be present and at most " + MAX_TARGET + " characters");
        }
        if (maxAttempts < 0) {
            throw new ValidationException("max_attempts", "must be 0 (the default) or more");
        }
        Map<String, String> copy = parameters == null ? Map.of() : Map.copyOf(parameters);
        return database.inTransaction(em -> {
            Instant now = now();
            ResponseJobEntity job = new ResponseJobEntity();
            job.typeName = type;
            job.incidentId = incidentId;
            job.target = target;
            job.parametersJson = Json.write(copy);
            job.state = JobState.QUEUED;
            job.attempts = 0;
            job.maxAttempts = maxAttempts == 0 ? settings.quarantineMaxAttempts() : maxAttempts;
            job.nextAttemptAt = now;
            job.createdAt = now;
            job.updatedAt = now;
            em.persist(job);
            em.flush();
            AuditLogImpl.append(
                    em,
                    actor,
                    "response.enqueue",
                    JobStore.AUDIT_TARGET,
                    String.valueOf(job.id),
                    "type " + type + ", target " + target + (incidentId == null ? "" : ", incident " + incidentId),
                    now);
            return JobStore.toJob(job);
        });
    }

    @Override
    public Optional<ResponseJob> get(long jobId) {
        return database.inTransaction(em ->
                Optional.ofNullable(em.find(ResponseJobEntity.class, jobId)).map(JobStore::toJob));
    }

    @Override
    public Page<ResponseJob> list(JobState state, int offset, int limit) {
        if (offset < 0) {
            throw new ValidationException("offset", "must not be negative");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ValidationException("limit", "must be 1 to " + MAX_PAGE);
        }
        return database.inTransaction(em -> {
            String where = state == null ? "" : " WHERE j.state = :state";
            TypedQuery<ResponseJobEntity> select = em.createQuery(
                    "SELECT j FROM ResponseJobEntity j" + where + " ORDER BY j.id DESC", ResponseJobEntity.class);
            TypedQuery<Long> count = em.createQuery("SELECT COUNT(j) FROM ResponseJobEntity j" + where, Long.class);
            if (state != null) {
                select.setParameter("state", state);
                count.setParameter("state", state);
            }
            List<ResponseJob> items = select.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                    .map(JobStore::toJob)
                    .toList();
            return new Page<>(items, count.getSingleResult(), offset, limit);
        });
    }

    @Override
    public List<ResponseAttempt> attempts(long jobId) {
        return database.inTransaction(em -> em
                .createNamedQuery("ResponseAttempt.byJob", ResponseAttemptEntity.class)
                .setParameter("job", jobId)
                .getResultList()
                .stream()
                .map(JobStore::toAttempt)
                .toList());
    }

    @Override
    public Map<JobState, Long> depthByState() {
        return database.inTransaction(em -> {
            Map<JobState, Long> depth = new EnumMap<>(JobState.class);
            for (JobState state : JobState.values()) {
                depth.put(state, 0L);
            }
            for (Object[] row : em.createNamedQuery("ResponseJob.countByState", Object[].class)
                    .getResultList()) {
                depth.put((JobState) row[0], ((Number) row[1]).longValue());
            }
            return depth;
        });
    }

    @Override
    public ResponseJob retryNow(long jobId, Actor actor) {
        return database.inTransaction(em -> {
            ResponseJobEntity job = locked(em, jobId);
            Instant now = now();
            String detail;
            if (job.state == JobState.QUEUED) {
                detail = "due now, was due " + job.nextAttemptAt;
            } else if (job.state == JobState.FAILED) {
                job.state = JobState.QUEUED;
                job.maxAttempts = Math.max(job.maxAttempts, job.attempts + 1);
                job.claimedBy = null;
                job.leaseUntil = null;
                detail = "failed job queued again with " + (job.maxAttempts - job.attempts) + " more attempt(s)";
            } else {
                throw new ConflictException(
                        "response job " + jobId + " is " + lower(job.state) + ", not queued or failed");
            }
            job.nextAttemptAt = now;
            job.updatedAt = now;
            AuditLogImpl.append(
                    em, actor, "response.retry_now", JobStore.AUDIT_TARGET, String.valueOf(jobId), detail, now);
            return JobStore.toJob(job);
        });
    }

    @Override
    public ResponseJob cancel(long jobId, Actor actor) {
        return database.inTransaction(em -> {
            ResponseJobEntity job = locked(em, jobId);
            if (job.state.isFinal()) {
                throw new ConflictException("response job " + jobId + " is already " + lower(job.state));
            }
            Instant now = now();
            String detail = "was " + lower(job.state) + " after " + job.attempts + " attempt(s)";
            job.state = JobState.CANCELLED;
            job.leaseUntil = null;
            job.updatedAt = now;
            job.lastDetail = "cancelled by " + actor.name();
            AuditLogImpl.append(
                    em, actor, "response.cancel", JobStore.AUDIT_TARGET, String.valueOf(jobId), detail, now);
            return JobStore.toJob(job);
        });
    }

    private static ResponseJobEntity locked(EntityManager em, long jobId) {
        ResponseJobEntity job = em.find(ResponseJobEntity.class, jobId, LockModeType.PESSIMISTIC_WRITE);
        if (job == null) {
            throw new NotFoundException("response job", jobId);
        }
        return job;
    }

    private static String lower(JobState state) {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }
}
