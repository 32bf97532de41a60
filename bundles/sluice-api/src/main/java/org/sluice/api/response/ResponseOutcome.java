package org.sluice.api.response;

import java.time.Duration;
import java.util.Objects;

/**
 * The structured result of one attempt. The queue decides from {@link #status()} what happens next: {@link
 * Status#DONE} and {@link Status#ALREADY_DONE} end the job as succeeded, {@link Status#NOT_FOUND} ends it as not found,
 * {@link Status#RETRYABLE} schedules another attempt, {@link Status#PERMANENT_FAILURE} ends it as failed.
 *
 * @param status what happened
 * @param providerStatus the outside system's status or code ({@code 429}, {@code rateLimitExceeded}), or {@code null}
 * @param detail a short human-readable explanation, never containing secrets or message bodies
 * @param retryAfter how long the outside system asked us to wait, or {@code null}
 */
public record ResponseOutcome(Status status, String providerStatus, String detail, Duration retryAfter) {

    /** What an attempt achieved. */
    public enum Status {
        DONE,
        ALREADY_DONE,
        NOT_FOUND,
        RETRYABLE,
        PERMANENT_FAILURE
    }

    public ResponseOutcome {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public static ResponseOutcome done(String detail) {
        return new ResponseOutcome(Status.DONE, null, detail, null);
    }

    public static ResponseOutcome alreadyDone(String detail) {
        return new ResponseOutcome(Status.ALREADY_DONE, null, detail, null);
    }

    public static ResponseOutcome notFound(String detail) {
        return new ResponseOutcome(Status.NOT_FOUND, null, detail, null);
    }

    public static ResponseOutcome retryable(String providerStatus, String detail, Duration retryAfter) {
        return new ResponseOutcome(Status.RETRYABLE, providerStatus, detail, retryAfter);
    }

    public static ResponseOutcome permanentFailure(String providerStatus, String detail) {
        return new ResponseOutcome(Status.PERMANENT_FAILURE, providerStatus, detail, null);
    }

    /** Whether the job is finished as a success. */
    public boolean succeeded() {
        return status == Status.DONE || status == Status.ALREADY_DONE;
    }
}
