package org.sluice.api.source;

import java.time.Instant;

/**
 * A source's state as last observed.
 *
 * @param status overall state
 * @param detail short explanation for people (no secrets)
 * @param lastPoll when the source last polled or received input, or {@code null}
 */
public record SourceHealth(Status status, String detail, Instant lastPoll) {

    /** Overall state of a source. */
    public enum Status {
        ONLINE,
        OFFLINE_CONFIGURATION,
        OFFLINE_COMMUNICATION,
        UNAUTHORIZED,
        UNKNOWN
    }

    public static SourceHealth online(Instant lastPoll) {
        return new SourceHealth(Status.ONLINE, "", lastPoll);
    }
}
