package org.sluice.api.quarantine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.response.JobState;
import org.sluice.api.security.Actor;

/**
 * Quarantine and undo of the messages of incidents, implemented by the core. A request becomes one queued job per
 * message and mailbox (quarantine) or per quarantined copy (undo), run by the persistent response queue with its
 * retries; the request's progress is the state of those jobs.
 */
@ProviderType
public interface QuarantineService {

    /**
     * Queues the quarantine of every message of the incidents' alerts in every internal recipient's mailbox.
     *
     * @param template the notification template to use for the affected users, or {@code null}; stored with the
     *     request
     * @throws org.sluice.api.error.NotFoundException if an incident does not exist
     * @throws org.sluice.api.error.ValidationException for an empty or too long list of incidents
     */
    ManualResponse quarantine(List<Long> incidentIds, String template, Actor actor);

    /**
     * Queues the undo of every copy of the incidents that is in quarantine, and cancels their quarantines still
     * waiting.
     */
    ManualResponse undo(List<Long> incidentIds, String template, Actor actor);

    Optional<ManualResponse> request(long requestId);

    /** Every quarantined, restored or failed copy of an incident, oldest first. */
    List<QuarantineResult> results(long incidentId);

    /** The incident's counts of quarantined copies, failed and waiting quarantines. */
    Counts counts(long incidentId);

    /**
     * A manual quarantine or undo request and its progress.
     *
     * @param kind {@code quarantine} or {@code undo}
     * @param jobs the queued jobs' ids, in the order they were queued
     * @param progress how many of the jobs are in each state, every state present
     */
    record ManualResponse(
            long id,
            String kind,
            List<Long> incidentIds,
            String template,
            String requestedBy,
            Instant createdAt,
            List<Long> jobs,
            Map<JobState, Long> progress) {

        /** Whether every job has reached a final state. */
        public boolean finished() {
            return progress.entrySet().stream().noneMatch(e -> !e.getKey().isFinal() && e.getValue() > 0);
        }
    }

    /**
     * One copy's result.
     *
     * @param status {@code quarantined}, {@code restored}, {@code vaulted} (stored, removal not yet confirmed),
     *     {@code restoring}, or {@code failed}
     * @param recipientType how the mailbox was found: {@code Original Recipient}, {@code Distribution List}, {@code
     *     Alias}
     * @param rawSha256 the vaulted copy in the raw-mail store, or {@code null} for a failure before it was stored
     * @param restoredProviderId the provider id of the copy put back by undo, or {@code null}
     * @param read whether the user had read the copy before it was taken out, or {@code null} when the provider did
     *     not say
     */
    record QuarantineResult(
            long id,
            long incidentId,
            long jobId,
            String mailbox,
            String connector,
            String messageId,
            String folder,
            String providerId,
            String rawSha256,
            String status,
            String recipientType,
            String alertSource,
            Instant startedAt,
            Instant endedAt,
            Instant undoneAt,
            String restoredProviderId,
            String detail,
            Boolean read) {}

    /**
     * @param successful copies quarantined, including those undone since
     * @param failed quarantine jobs that failed, plus copies whose removal failed
     * @param pending quarantine jobs still queued or running
     * @param notFound quarantine jobs that ended without finding the message (not failures)
     */
    record Counts(long successful, long failed, long pending, long notFound) {}
}
