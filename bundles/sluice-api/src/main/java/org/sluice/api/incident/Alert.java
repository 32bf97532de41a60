package org.sluice.api.incident;

import java.time.Instant;
import java.util.Map;

/** A read-only view of a stored alert. {@code data} is the source's payload as it was received. */
public record Alert(
        long id,
        long incidentId,
        String sourceType,
        String sourceInstance,
        String externalId,
        Severity severity,
        String summary,
        String description,
        Instant occurredAt,
        Instant receivedAt,
        Map<String, Object> data) {}
