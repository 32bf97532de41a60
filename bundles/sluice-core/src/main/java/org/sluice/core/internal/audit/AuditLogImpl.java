package org.sluice.core.internal.audit;

import java.time.Clock;
import java.util.List;
import javax.persistence.EntityManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.api.audit.AuditEvent;
import org.sluice.api.audit.AuditLog;
import org.sluice.api.incident.Page;
import org.sluice.api.security.Actor;
import org.sluice.core.internal.db.Database;

/**
 * The audit log in the {@code audit_event} table. Core services append to it inside the transaction of the change
 * they record ({@link #append}), so a change and its audit entry commit or roll back together.
 */
@Component(service = AuditLog.class)
public class AuditLogImpl implements AuditLog {

    private static final int MAX_DETAIL = 4_000;

    private final Database database;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public AuditLogImpl(@Reference Database database) {
        this.database = database;
    }

    /** Appends an entry within the caller's transaction. */
    public static void append(
            EntityManager em,
            Actor actor,
            String action,
            String targetType,
            String targetId,
            String detail,
            java.time.Instant at) {
        AuditEntity entity = new AuditEntity();
        entity.at = at;
        entity.actorKind = actor.kind().name();
        entity.actor = actor.name();
        entity.origin = actor.origin();
        entity.action = action;
        entity.targetType = targetType;
        entity.targetId = targetId;
        entity.detail = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
        em.persist(entity);
    }

    @Override
    public void record(Actor actor, String action, String targetType, String targetId, String detail) {
        database.inTransaction(em -> {
            append(em, actor, action, targetType, targetId, detail, clock.instant());
            return null;
        });
    }

    @Override
    public Page<AuditEvent> list(String targetType, int offset, int limit) {
        return database.inTransaction(em -> {
            String where = targetType == null ? "" : " WHERE e.targetType = :type";
            var query =
                    em.createQuery("SELECT e FROM AuditEntity e" + where + " ORDER BY e.id DESC", AuditEntity.class);
            var count = em.createQuery("SELECT COUNT(e) FROM AuditEntity e" + where, Long.class);
            if (targetType != null) {
                query.setParameter("type", targetType);
                count.setParameter("type", targetType);
            }
            List<AuditEvent> items = query.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                    .map(AuditLogImpl::toEvent)
                    .toList();
            return new Page<>(items, count.getSingleResult(), offset, limit);
        });
    }

    private static AuditEvent toEvent(AuditEntity e) {
        return new AuditEvent(e.id, e.at, e.actorKind, e.actor, e.origin, e.action, e.targetType, e.targetId, e.detail);
    }
}
