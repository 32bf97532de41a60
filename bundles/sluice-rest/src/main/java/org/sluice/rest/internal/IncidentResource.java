package org.sluice.rest.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.ws.rs.Consumes;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Activity;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.Comment;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentQuery;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentState;
import org.sluice.api.incident.Page;
import org.sluice.api.incident.Severity;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/** Incidents in Sluice's own API. */
@Path(ApiPaths.OWN + "/incidents")
@Allow(Role.READ_ONLY)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IncidentResource {

    private final IncidentService incidents;
    private final QuarantineService quarantine;

    public IncidentResource(IncidentService incidents, QuarantineService quarantine) {
        this.incidents = incidents;
        this.quarantine = quarantine;
    }

    @GET
    public Map<String, Object> list(
            @QueryParam("state") String states,
            @QueryParam("severity") String severities,
            @QueryParam("source") String source,
            @QueryParam("created_after") String createdAfter,
            @QueryParam("created_before") String createdBefore,
            @QueryParam("closed_after") String closedAfter,
            @QueryParam("closed_before") String closedBefore,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        IncidentQuery query;
        try {
            query = new IncidentQuery(
                    parseAll("state", states, IncidentState::parse),
                    parseAll("severity", severities, Severity::parse),
                    source,
                    Times.parse("created_after", createdAfter),
                    Times.parse("created_before", createdBefore),
                    Times.parse("closed_after", closedAfter),
                    Times.parse("closed_before", closedBefore),
                    offset,
                    limit);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(null, e.getMessage());
        }
        Page<Incident> page = incidents.find(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(this::withCounts).toList());
        body.put("total", page.total());
        body.put("offset", page.offset());
        body.put("limit", page.limit());
        return body;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") long id) {
        Incident incident = incidents.get(id).orElseThrow(() -> new NotFoundException("incident", id));
        Map<String, Object> body = withCounts(incident);
        body.put(
                "alerts",
                incidents.alerts(id).stream().map(IncidentResource::alert).toList());
        body.put(
                "comments",
                incidents.comments(id).stream().map(IncidentResource::comment).toList());
        List<Activity> activity = incidents.activity(id);
        body.put("activity", activity.stream().map(IncidentResource::activity).toList());
        body.put("notified", Notified.of(activity));
        return body;
    }

    @POST
    @Path("{id}/comments")
    @Allow(Role.ANALYST)
    public Response comment(@PathParam("id") long id, Map<String, Object> request, @Context SecurityContext caller) {
        String text = Bodies.requiredText(request, "comment", FreeText.MAX_COMMENT);
        String detail = Bodies.optionalText(request, "detail", FreeText.MAX_COMMENT);
        Comment comment = incidents.addComment(id, text, detail, Caller.actorOf(caller));
        return Response.status(201).entity(comment(comment)).build();
    }

    @POST
    @Path("{id}/close")
    @Allow(Role.ANALYST)
    public Map<String, Object> close(
            @PathParam("id") long id, Map<String, Object> request, @Context SecurityContext caller) {
        return incident(incidents.close(
                id,
                Bodies.optionalText(request, "summary", FreeText.MAX_COMMENT),
                Bodies.optionalText(request, "detail", FreeText.MAX_COMMENT),
                Caller.actorOf(caller)));
    }

    /** Queues the quarantine of the incident's messages in every internal recipient's mailbox (SPEC R3). */
    @POST
    @Path("{id}/quarantine")
    @Allow(Role.ANALYST)
    public Response quarantine(@PathParam("id") long id, Map<String, Object> request, @Context SecurityContext caller) {
        return ResponseResource.accepted(
                quarantine.quarantine(List.of(id), ResponseResource.template(request), Caller.actorOf(caller)));
    }

    /** Queues the undo of every copy of the incident in quarantine. */
    @POST
    @Path("{id}/undo")
    @Allow(Role.ANALYST)
    public Response undo(@PathParam("id") long id, Map<String, Object> request, @Context SecurityContext caller) {
        return ResponseResource.accepted(
                quarantine.undo(List.of(id), ResponseResource.template(request), Caller.actorOf(caller)));
    }

    /** Every copy quarantined, restored or failed for the incident. */
    @GET
    @Path("{id}/quarantine-results")
    public List<Map<String, Object>> quarantineResults(@PathParam("id") long id) {
        incidents.get(id).orElseThrow(() -> new NotFoundException("incident", id));
        return quarantine.results(id).stream().map(ResponseResource::result).toList();
    }

    private Map<String, Object> withCounts(Incident incident) {
        Map<String, Object> m = incident(incident);
        QuarantineService.Counts counts = quarantine.counts(incident.id());
        m.put("successful_quarantines", counts.successful());
        m.put("failed_quarantines", counts.failed());
        m.put("pending_quarantines", counts.pending());
        m.put("not_found_quarantines", counts.notFound());
        return m;
    }

    private static <T> Set<T> parseAll(String parameter, String csv, java.util.function.Function<String, T> parser) {
        if (csv == null || csv.isBlank()) {
            return Set.of();
        }
        try {
            return Arrays.stream(csv.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .map(parser)
                    .collect(Collectors.toSet());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(parameter, e.getMessage());
        }
    }

    static Map<String, Object> incident(Incident i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("summary", i.summary());
        m.put("description", i.description());
        m.put("state", i.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("severity", i.severity().name().toLowerCase(java.util.Locale.ROOT));
        m.put("assignee", i.assignee());
        m.put("team", i.team());
        m.put("link_key", i.linkKey());
        m.put("source", i.sourceType());
        m.put("created_at", Times.format(i.createdAt()));
        m.put("updated_at", Times.format(i.updatedAt()));
        m.put("closed_at", Times.format(i.closedAt()));
        m.put("close_summary", i.closeSummary());
        m.put("close_detail", i.closeDetail());
        m.put("alert_count", i.alertCount());
        m.put("successful_quarantines", i.successfulQuarantines());
        m.put("failed_quarantines", i.failedQuarantines());
        return m;
    }

    static Map<String, Object> alert(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("incident_id", a.incidentId());
        m.put("source", a.sourceType());
        m.put("source_instance", a.sourceInstance());
        m.put("external_id", a.externalId());
        m.put("severity", a.severity().name().toLowerCase(java.util.Locale.ROOT));
        m.put("summary", a.summary());
        m.put("description", a.description());
        m.put("occurred_at", Times.format(a.occurredAt()));
        m.put("received_at", Times.format(a.receivedAt()));
        m.put("data", a.data());
        return m;
    }

    static Map<String, Object> comment(Comment c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("author", c.author());
        m.put("comment", c.text());
        m.put("detail", c.detail());
        m.put("created_at", Times.format(c.createdAt()));
        return m;
    }

    static Map<String, Object> activity(Activity a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("kind", a.kind());
        m.put("actor", a.actor());
        m.put("detail", a.detail());
        m.put("at", Times.format(a.at()));
        return m;
    }
}
