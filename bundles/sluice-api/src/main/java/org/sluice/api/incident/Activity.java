package org.sluice.api.incident;

import java.time.Instant;

/**
 * One entry in an incident's history: alert linked, comment added, state changed, response queued or finished.
 *
 * @param kind a stable word such as {@code alert_linked} or {@code closed}
 * @param detail human-readable detail; may quote attacker-controlled text, so faces must escape it
 */
public record Activity(long id, long incidentId, String kind, String actor, String detail, Instant at) {}
