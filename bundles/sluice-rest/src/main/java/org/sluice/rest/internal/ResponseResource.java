package org.sluice.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.quarantine.QuarantineService.ManualResponse;
import org.sluice.api.quarantine.QuarantineService.QuarantineResult;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/**
 * Manual responses (SPEC R3): quarantine or undo the messages of many incidents at once, and the progress of any
 * such request (also those made per incident under {@code /incidents/{id}}). Each request answers 202 with the request
 * and its job counts; its jobs run in the response queue.
 */
@Path(ApiPaths.OWN + "/responses")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(Role.READ_ONLY)
public class ResponseResource {

    private final QuarantineService quarantine;

    public ResponseResource(QuarantineService quarantine) {
        this.quarantine = quarantine;
    }

    @POST
    @Path("quarantine")
    @Allow(Role.ANALYST)
    public Response quarantine(Map<String, Object> body, @Context SecurityContext caller) {
        return accepted(quarantine.quarantine(incidentIds(body), template(body), Caller.actorOf(caller)));
    }

    @POST
    @Path("undo")
    @Allow(Role.ANALYST)
    public Response undo(Map<String, Object> body, @Context SecurityContext caller) {
        return accepted(quarantine.undo(incidentIds(body), template(body), Caller.actorOf(caller)));
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") long id) {
        return request(quarantine.request(id).orElseThrow(() -> new NotFoundException("response request", id)));
    }

    static Response accepted(ManualResponse request) {
        return Response.status(202).entity(request(request)).build();
    }

    /** The optional {@code template} field: a notification template id, stored with the request. */
    static String template(Map<String, Object> body) {
        Object value = Bodies.orEmpty(body).get("template");
        if (value != null && !(value instanceof String)) {
            throw new ValidationException("template", "must be a string (a notification template id)");
        }
        return (String) value;
    }

    private static List<Long> incidentIds(Map<String, Object> body) {
        Object value = Bodies.orEmpty(body).get("incident_ids");
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new ValidationException("incident_ids", "must be a non-empty list of incident ids");
        }
        List<Long> ids = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
                throw new ValidationException("incident_ids", "'" + item + "' is not an incident id");
            }
            ids.add(number.longValue());
        }
        return ids;
    }

    static Map<String, Object> request(ManualResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind());
        m.put("incident_ids", r.incidentIds());
        m.put("template", r.template());
        m.put("requested_by", r.requestedBy());
        m.put("created_at", Times.format(r.createdAt()));
        m.put("finished", r.finished());
        Map<String, Long> progress = new LinkedHashMap<>();
        r.progress()
                .forEach((state, n) ->
                        progress.put(state.name().toLowerCase(Locale.ROOT).replace('_', '-'), n));
        m.put("progress", progress);
        m.put("job_ids", r.jobs());
        return m;
    }

    static Map<String, Object> result(QuarantineResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id() == 0 ? null : r.id());
        m.put("job_id", r.jobId());
        m.put("mailbox", r.mailbox());
        m.put("connector", r.connector());
        m.put("message_id", r.messageId());
        m.put("folder", r.folder());
        m.put("provider_id", r.providerId());
        m.put("raw_sha256", r.rawSha256());
        m.put("status", r.status());
        m.put("read", r.read());
        m.put("recipient_type", r.recipientType());
        m.put("alert_source", r.alertSource());
        m.put("started_at", Times.format(r.startedAt()));
        m.put("ended_at", Times.format(r.endedAt()));
        m.put("undone_at", Times.format(r.undoneAt()));
        m.put("restored_provider_id", r.restoredProviderId());
        m.put("detail", r.detail());
        return m;
    }
}
