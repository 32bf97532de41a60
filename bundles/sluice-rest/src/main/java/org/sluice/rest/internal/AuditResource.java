package org.sluice.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.sluice.api.audit.AuditEvent;
import org.sluice.api.audit.AuditLog;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Page;

/** The audit log (admins only): who changed what, when, from where. */
@Path(ApiPaths.OWN + "/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public Map<String, Object> list(
            @QueryParam("target_type") String targetType,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (offset < 0 || limit < 1 || limit > 500) {
            throw new ValidationException("limit", "offset must be >= 0 and limit between 1 and 500");
        }
        Page<AuditEvent> page = audit.list(targetType, offset, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(AuditResource::event).toList());
        body.put("total", page.total());
        body.put("offset", page.offset());
        body.put("limit", page.limit());
        return body;
    }

    private static Map<String, Object> event(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", Times.format(e.at()));
        m.put("actor_kind", e.actorKind().toLowerCase(java.util.Locale.ROOT));
        m.put("actor", e.actor());
        m.put("origin", e.origin());
        m.put("action", e.action());
        m.put("target_type", e.targetType());
        m.put("target_id", e.targetId());
        m.put("detail", e.detail());
        return m;
    }
}
