package org.sluice.api.incident;

import java.time.Instant;
import java.util.Set;

/**
 * A filter over incidents. Every bound is optional ({@code null} or empty means unbounded); time windows are
 * half-open, {@code [from, to)}. {@code messageIds} (normalised Message-IDs) keeps incidents with an alert about one of
 * those messages.
 */
public record IncidentQuery(
        Set<IncidentState> states,
        Set<Severity> severities,
        String sourceType,
        Instant createdFrom,
        Instant createdTo,
        Instant closedFrom,
        Instant closedTo,
        Set<String> messageIds,
        int offset,
        int limit) {

    /** The most rows one page may hold. */
    public static final int MAX_LIMIT = 500;

    public IncidentQuery {
        states = states == null ? Set.of() : Set.copyOf(states);
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        messageIds = messageIds == null ? Set.of() : Set.copyOf(messageIds);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** A query without a Message-ID filter. */
    public IncidentQuery(
            Set<IncidentState> states,
            Set<Severity> severities,
            String sourceType,
            Instant createdFrom,
            Instant createdTo,
            Instant closedFrom,
            Instant closedTo,
            int offset,
            int limit) {
        this(states, severities, sourceType, createdFrom, createdTo, closedFrom, closedTo, null, offset, limit);
    }

    public static IncidentQuery all(int offset, int limit) {
        return new IncidentQuery(null, null, null, null, null, null, null, offset, limit);
    }
}
