package org.sluice.api.incident;

import java.time.Instant;

/** A read-only view of an incident. Times are UTC instants. */
public record Incident(
        long id,
        String summary,
        String description,
        IncidentState state,
        Severity severity,
        String assignee,
        String team,
        String linkKey,
        String sourceType,
        Instant createdAt,
        Instant updatedAt,
        Instant closedAt,
        String closeSummary,
        String closeDetail,
        int alertCount,
        int successfulQuarantines,
        int failedQuarantines) {}
