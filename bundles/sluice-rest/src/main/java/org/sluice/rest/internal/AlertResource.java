package org.sluice.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.sluice.api.clear.ClearAnalysis;
import org.sluice.api.clear.ClearAnalysis.AlertHeaders;
import org.sluice.api.clear.ClearAnalysis.Header;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.PluginUnavailableException;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;

/**
 * Single alerts, with the source's payload as received, and the headers of an alert's message (SPEC C6), handed to the
 * CLEAR bundle's {@link ClearAnalysis} (503 when the CLEAR feature is not running):
 *
 * <ul>
 *   <li>{@code GET /alerts/{id}/headers}: the header fields in their original order, decoded, repeated ones kept, the
 *       {@code headers.prioritized} ones first and flagged;
 *   <li>{@code GET /alerts/{id}/headers.txt}: the raw header block as a {@code text/plain} download; it is
 *       attacker-made, so it is served as an attachment with {@code nosniff} and a sandboxing CSP, never inline.
 * </ul>
 */
@Path(ApiPaths.OWN + "/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.READ_ONLY)
public class AlertResource {

    private final IncidentService incidents;
    private final Supplier<ClearAnalysis> analysis;

    public AlertResource(IncidentService incidents, Supplier<ClearAnalysis> analysis) {
        this.incidents = incidents;
        this.analysis = analysis;
    }

    private ClearAnalysis analysis() {
        ClearAnalysis current = analysis.get();
        if (current == null) {
            throw new PluginUnavailableException("CLEAR analysis", "clear");
        }
        return current;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") long id) {
        return IncidentResource.alert(incidents.alert(id).orElseThrow(() -> new NotFoundException("alert", id)));
    }

    @GET
    @Path("{id}/headers")
    @Allow(Role.READ_ONLY)
    public Map<String, Object> headers(@PathParam("id") long id) {
        AlertHeaders headers = analysis().headers(id);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Header h : headers.headers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", h.name());
            m.put("value", h.value());
            m.put("position", h.position());
            m.put("prioritized", h.prioritized());
            list.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alert_id", headers.alertId());
        body.put("sha256", headers.sha256());
        body.put("headers", list);
        return body;
    }

    @GET
    @Path("{id}/headers.txt")
    @Produces("text/plain")
    @Allow(Role.READ_ONLY)
    public Response headersText(@PathParam("id") long id) {
        AlertHeaders headers = analysis().headers(id);
        return Response.ok(headers.rawBlock(), "text/plain; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"alert-" + id + "-headers.txt\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("Cache-Control", "no-store")
                .build();
    }
}
