package org.sluice.api.response;

import java.time.Instant;
import java.util.Map;

/** A read-only view of a queued response and where it stands. */
public record ResponseJob(
        long id,
        String type,
        Long incidentId,
        String target,
        Map<String, String> parameters,
        JobState state,
        int attempts,
        int maxAttempts,
        Instant nextAttemptAt,
        String claimedBy,
        Instant leaseUntil,
        Instant createdAt,
        Instant updatedAt,
        String lastDetail) {}
