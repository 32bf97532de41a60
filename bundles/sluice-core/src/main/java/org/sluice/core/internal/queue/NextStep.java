package org.sluice.core.internal.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.sluice.api.response.Backoff;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseOutcome;

/**
 * What becomes of a job after one attempt: a pure function of the outcome, the attempt number, the job's attempt
 * budget, the time the attempt ended and a random source for the back-off jitter (SPEC R2).
 *
 * @param state the job's next state
 * @param nextAttemptAt when the job is due again, or {@code null} when {@code state} is final
 */
record NextStep(JobState state, Instant nextAttemptAt) {

    NextStep {
        Objects.requireNonNull(state, "state");
    }

    /**
     * Decides the step after attempt {@code attempt} (1-based) of a job allowed {@code maxAttempts} attempts. A
     * retryable failure waits {@link Backoff#delay(int, RandomGenerator, java.time.Duration)} with the attempt number
     * as the retry number (the wait before the first retry follows the first attempt), counted from {@code endedAt};
     * once {@code attempt} reaches {@code maxAttempts} it fails the job instead.
     */
    static NextStep after(
            ResponseOutcome outcome, int attempt, int maxAttempts, Instant endedAt, RandomGenerator random) {
        return switch (outcome.status()) {
            case DONE, ALREADY_DONE -> new NextStep(JobState.SUCCEEDED, null);
            case NOT_FOUND -> new NextStep(JobState.NOT_FOUND, null);
            case PERMANENT_FAILURE -> new NextStep(JobState.FAILED, null);
            case RETRYABLE ->
                attempt >= maxAttempts
                        ? new NextStep(JobState.FAILED, null)
                        : new NextStep(
                                JobState.QUEUED,
                                endedAt.plus(Backoff.delay(Math.max(1, attempt), random, outcome.retryAfter())));
        };
    }
}
