package org.sluice.api.audit;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.incident.Page;
import org.sluice.api.security.Actor;

/** The append-only audit log of every change. Entries are never updated or deleted through any face. */
@ProviderType
public interface AuditLog {

    /** Records an event in its own transaction. */
    void record(Actor actor, String action, String targetType, String targetId, String detail);

    /** Entries newest first, optionally only those about one target type. */
    Page<AuditEvent> list(String targetType, int offset, int limit);
}
