package org.sluice.core.internal.incident;

import java.time.Instant;
import javax.persistence.EntityManager;

/** Lets other parts of the core add entries to an incident's activity inside their own transaction. */
public final class Activities {

    private Activities() {}

    /** Adds one activity entry; the incident must exist. */
    public static void record(EntityManager em, long incidentId, String kind, String actor, String detail, Instant at) {
        em.persist(ActivityEntity.of(incidentId, kind, actor, detail, at));
    }
}
