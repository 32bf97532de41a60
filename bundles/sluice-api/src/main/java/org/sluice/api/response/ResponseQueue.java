package org.sluice.api.response;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.incident.Page;
import org.sluice.api.security.Actor;

/**
 * The persistent response queue, implemented by the core. Work survives restarts and node deaths; each job is
 * attempted by one node at a time under a lease.
 */
@ProviderType
public interface ResponseQueue {

    /**
     * Queues work for a response type, due now. The type need not be installed yet.
     *
     * @param maxAttempts how many attempts before the job fails; {@code 0} takes the global setting
     */
    ResponseJob enqueue(
            String type, Long incidentId, String target, Map<String, String> parameters, int maxAttempts, Actor actor);

    Optional<ResponseJob> get(long jobId);

    /**
     * Jobs in the given state (all states when {@code null}), newest first.
     *
     * @param limit 1 to 1,000
     */
    Page<ResponseJob> list(JobState state, int offset, int limit);

    /** The recorded attempts of a job, oldest first; empty for an unknown job. */
    List<ResponseAttempt> attempts(long jobId);

    /** Counts jobs by state, every state present. */
    Map<JobState, Long> depthByState();

    /**
     * Makes a queued job due now, or queues a failed job again, due now, with its attempt budget raised if needed so
     * that it gets at least one more attempt.
     *
     * @throws org.sluice.api.error.NotFoundException if there is no such job
     * @throws org.sluice.api.error.ConflictException if the job is running or ended otherwise than failed
     */
    ResponseJob retryNow(long jobId, Actor actor);

    /**
     * Cancels a job that is not final yet. A running attempt finishes and is recorded, but its outcome no longer
     * changes the state.
     *
     * @throws org.sluice.api.error.NotFoundException if there is no such job
     * @throws org.sluice.api.error.ConflictException if the job is already final
     */
    ResponseJob cancel(long jobId, Actor actor);
}
