package org.sluice.api.audit;

import java.time.Instant;

/**
 * One entry of the append-only audit log.
 *
 * @param action a stable verb such as {@code incident.close} or {@code apikey.create}
 * @param targetType what kind of thing was acted on ({@code incident}, {@code apikey})
 * @param targetId its id
 * @param detail short detail without secrets
 */
public record AuditEvent(
        long id,
        Instant at,
        String actorKind,
        String actor,
        String origin,
        String action,
        String targetType,
        String targetId,
        String detail) {}
