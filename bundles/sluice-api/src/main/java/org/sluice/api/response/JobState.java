package org.sluice.api.response;

/** Where a queued response is. {@code SUCCEEDED}, {@code NOT_FOUND}, {@code FAILED} and {@code CANCELLED} are final. */
public enum JobState {
    /** Waiting for its next attempt time. */
    QUEUED,
    /** Claimed by a node, which holds a lease on it. */
    RUNNING,
    SUCCEEDED,
    /** The target was not found within the allowed time; not a failure. */
    NOT_FOUND,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
