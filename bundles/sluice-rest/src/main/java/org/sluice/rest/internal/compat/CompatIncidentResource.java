package org.sluice.rest.internal.compat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.ws.rs.Consumes;
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
import javax.ws.rs.core.StreamingOutput;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Comment;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentQuery;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentState;
import org.sluice.api.incident.IncidentUser;
import org.sluice.api.incident.Page;
import org.sluice.api.mail.MessageIds;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.security.AccountService;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.ApiPaths;
import org.sluice.rest.internal.FreeText;
import org.sluice.rest.internal.Times;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/**
 * Incidents in the reference product's API ({@code /api/incidents...}), as SOAR integrations call it: paths with or
 * without {@code .json}, unknown query parameters ignored, writes answered with a JSON body, never 204.
 *
 * <p>The list is streamed as a bare JSON array. It is capped: a created or closed window longer than {@value
 * #MAX_WINDOW_DAYS} days, or more than {@value #MAX_RESULTS} matching incidents, is refused with 400 and a message
 * that says how to narrow the request, as the reference refuses windows over 30 days.
 */
@Path(ApiPaths.COMPAT)
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Allow(Role.READ_ONLY)
public class CompatIncidentResource {

    static final int MAX_WINDOW_DAYS = 30;
    static final int MAX_RESULTS = 2_000;
    private static final int PAGE = 200;

    private final IncidentService incidents;
    private final QuarantineService quarantine;
    private final AccountService accounts;
    private final ObjectMapper mapper;

    public CompatIncidentResource(
            IncidentService incidents, AccountService accounts, ObjectMapper mapper, QuarantineService quarantine) {
        this.incidents = incidents;
        this.quarantine = quarantine;
        this.accounts = accounts;
        this.mapper = mapper;
    }

    @GET
    @Path("incidents{ext: (\\.json)?}")
    public Response list(
            @QueryParam("state") String state,
            @QueryParam("created_after") String createdAfter,
            @QueryParam("created_before") String createdBefore,
            @QueryParam("closed_after") String closedAfter,
            @QueryParam("closed_before") String closedBefore,
            @QueryParam("expand_events") String expandEvents,
            @QueryParam("message_id") String messageIds) {
        Set<String> ids = messageIds(messageIds);
        Set<IncidentState> states = state == null || state.isBlank() ? Set.of() : Set.of(parseState(state));
        Instant from = Times.parse("created_after", createdAfter);
        Instant to = Times.parse("created_before", createdBefore);
        Instant closedFrom = Times.parse("closed_after", closedAfter);
        Instant closedTo = Times.parse("closed_before", closedBefore);
        checkWindow("created_after", "created_before", from, to);
        checkWindow("closed_after", "closed_before", closedFrom, closedTo);
        boolean expand = !"false".equalsIgnoreCase(expandEvents);

        IncidentQuery first = new IncidentQuery(states, null, null, from, to, closedFrom, closedTo, ids, 0, 1);
        long total = incidents.find(first).total();
        if (total > MAX_RESULTS) {
            throw new ValidationException(
                    null,
                    total + " incidents match, more than the " + MAX_RESULTS
                            + " one request may return; ask for a shorter created_after/created_before window");
        }
        StreamingOutput body = out -> {
            try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
                json.writeStartArray();
                for (int offset = 0; offset < total; offset += PAGE) {
                    Page<Incident> page = incidents.find(
                            new IncidentQuery(states, null, null, from, to, closedFrom, closedTo, ids, offset, PAGE));
                    for (Incident incident : page.items()) {
                        mapper.writeValue(json, wire(incident, expand));
                    }
                    json.flush();
                    if (page.items().size() < PAGE) {
                        break;
                    }
                }
                json.writeEndArray();
            }
        };
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Any other path under {@code incidents/} (a malformed id such as {@code abc.json}, {@code -1.json} or {@code
     * 1.xml}): 404, not the incident list that the list's path would otherwise answer for it.
     */
    @GET
    @Path("incidents/{unknown: .+}")
    public Response unknownGet(@PathParam("unknown") String unknown) {
        throw new NotFoundException("incident path", unknown);
    }

    @POST
    @Path("incidents/{unknown: .+}")
    public Response unknownPost(@PathParam("unknown") String unknown) {
        throw new NotFoundException("incident path", unknown);
    }

    @GET
    @Path("incidents/{id: \\d+}{ext: (\\.json)?}")
    public Map<String, Object> get(@PathParam("id") long id, @QueryParam("expand_events") String expandEvents) {
        Incident incident = incidents.get(id).orElseThrow(() -> new NotFoundException("incident", id));
        Map<String, Object> body = wire(incident, !"false".equalsIgnoreCase(expandEvents));
        // Sluice's addition to the reference shape: the users told about its quarantines and undos (SPEC N4).
        body.put("notifications", org.sluice.rest.internal.Notified.of(incidents.activity(id)));
        return body;
    }

    @POST
    @Path("incidents/{id: \\d+}/comments{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Response comment(@PathParam("id") long id, Map<String, Object> body, @Context SecurityContext caller) {
        String summary = CompatBodies.text(body, "summary", true, FreeText.MAX_COMMENT);
        String detail = CompatBodies.text(body, "detail", false, FreeText.MAX_COMMENT);
        Incident before = incidents.get(id).orElseThrow(() -> new NotFoundException("incident", id));
        Comment comment = incidents.addComment(id, summary, detail, Caller.actorOf(caller));
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("id", comment.id());
        history.put("incident_id", id);
        history.put("response_id", null);
        history.put("user_id", comment.author());
        history.put("history_type", "comment");
        history.put("state_from", WireFormat.state(before.state()));
        history.put("state_to", WireFormat.state(before.state()));
        history.put("summary", comment.text());
        history.put("detail", comment.detail());
        history.put("created_at", WireFormat.time(comment.createdAt()));
        history.put("updated_at", WireFormat.time(comment.createdAt()));
        return Response.status(201).entity(history).build();
    }

    @POST
    @Path("incidents/{id: \\d+}/close{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Map<String, Object> close(
            @PathParam("id") long id, Map<String, Object> body, @Context SecurityContext caller) {
        Incident closed = incidents.close(
                id,
                CompatBodies.text(body, "summary", false, FreeText.MAX_COMMENT),
                CompatBodies.text(body, "detail", false, FreeText.MAX_COMMENT),
                Caller.actorOf(caller));
        return wire(closed, true);
    }

    @POST
    @Path("incidents/close{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Map<String, Object> closeAll(Map<String, Object> body, @Context SecurityContext caller) {
        Object ids = CompatBodies.orEmpty(body).get("incidentIds");
        if (!(ids instanceof List<?> list) || list.isEmpty()) {
            throw new ValidationException("incidentIds", "must be a non-empty list of incident ids");
        }
        List<Long> incidentIds = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Number number) || number.longValue() != number.doubleValue()) {
                throw new ValidationException("incidentIds", "every item must be a whole number");
            }
            incidentIds.add(number.longValue());
        }
        List<Incident> closed = incidents.closeAll(
                incidentIds,
                CompatBodies.text(body, "summary", false, FreeText.MAX_COMMENT),
                CompatBodies.text(body, "detail", false, FreeText.MAX_COMMENT),
                Caller.actorOf(caller));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("closed", closed.stream().map(Incident::id).toList());
        return answer;
    }

    @POST
    @Path("incidents/{id: \\d+}/description{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Map<String, Object> description(
            @PathParam("id") long id, Map<String, Object> body, @Context SecurityContext caller) {
        String text = CompatBodies.text(body, "description", true, FreeText.MAX_COMMENT);
        Object overwrite = CompatBodies.orEmpty(body).get("overwrite");
        if (overwrite != null && !(overwrite instanceof Boolean)) {
            throw new ValidationException("overwrite", "must be true or false");
        }
        boolean append = Boolean.FALSE.equals(overwrite);
        return wire(incidents.updateDescription(id, text, append, Caller.actorOf(caller)), true);
    }

    @POST
    @Path("incidents/{id: \\d+}/team_and_assignee{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Response teamAndAssignee(
            @PathParam("id") long id, Map<String, Object> body, @Context SecurityContext caller) {
        String team = CompatBodies.text(body, "team", false);
        String assignee = CompatBodies.text(body, "assignee", false);
        if (team == null || assignee == null) {
            return CompatErrors.respond(
                    400,
                    "invalid_input",
                    "Both team and assignee are required. Team: " + team + ", assignee: " + assignee);
        }
        if (accounts.find(assignee).isEmpty()) {
            return CompatErrors.respond(404, "not_found", "no assignee found for " + assignee);
        }
        try {
            return Response.ok(wire(incidents.assign(id, team, assignee, Caller.actorOf(caller)), true))
                    .build();
        } catch (ConflictException e) {
            return CompatErrors.respond(404, e.code(), e.getMessage());
        }
    }

    @POST
    @Path("incidents/{id: \\d+}/users{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Map<String, Object> users(
            @PathParam("id") long id, Map<String, Object> body, @Context SecurityContext caller) {
        List<IncidentUser> users = new ArrayList<>();
        CompatBodies.names(body, "targets").forEach(n -> users.add(new IncidentUser(n, IncidentUser.Role.TARGET)));
        CompatBodies.names(body, "attackers").forEach(n -> users.add(new IncidentUser(n, IncidentUser.Role.ATTACKER)));
        List<IncidentUser> all = incidents.addUsers(id, users, Caller.actorOf(caller));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(
                "targets",
                all.stream()
                        .filter(u -> u.role() == IncidentUser.Role.TARGET)
                        .map(IncidentUser::username)
                        .toList());
        answer.put(
                "attackers",
                all.stream()
                        .filter(u -> u.role() == IncidentUser.Role.ATTACKER)
                        .map(IncidentUser::username)
                        .toList());
        return answer;
    }

    @POST
    @Path("incidents/{id: \\d+}/incident_fields{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Map<String, Object> fields(
            @PathParam("id") long id,
            @QueryParam("allow_data_override") String override,
            Map<String, Object> body,
            @Context SecurityContext caller) {
        Object fields = CompatBodies.orEmpty(body).get("fields");
        if (!(fields instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new ValidationException("fields", "must be an object of field names to values");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> field : map.entrySet()) {
            Object value = field.getValue();
            if (value != null && !(value instanceof String)) {
                throw new ValidationException("fields." + field.getKey(), "must be a string or null");
            }
            values.put(String.valueOf(field.getKey()), (String) value);
        }
        incidents.setFields(id, values, "true".equalsIgnoreCase(override), Caller.actorOf(caller));
        Incident incident = incidents.get(id).orElseThrow(() -> new NotFoundException("incident", id));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("incident_field_values", wire(incident, false).get("incident_field_values"));
        return answer;
    }

    private Map<String, Object> wire(Incident incident, boolean expandEvents) {
        long id = incident.id();
        return WireFormat.incident(
                incident,
                incidents.alerts(id),
                incidents.comments(id),
                incidents.users(id),
                incidents.fields(id),
                quarantine.results(id),
                quarantine.counts(id),
                expandEvents);
    }

    /** The comma-separated Message-IDs of a query, normalised; a value that is no Message-ID is refused. */
    private static Set<String> messageIds(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                ids.add(MessageIds.normalize(part)
                        .orElseThrow(() -> new ValidationException(
                                "message_id", "'" + part.strip() + "' is not a Message-ID such as <id@example.org>")));
            }
        }
        return ids;
    }

    private static IncidentState parseState(String state) {
        try {
            return IncidentState.parse(state);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("state", e.getMessage());
        }
    }

    private static void checkWindow(String fromName, String toName, Instant from, Instant to) {
        if (from == null) {
            return;
        }
        Instant end = to == null ? Instant.now() : to;
        if (Duration.between(from, end).compareTo(Duration.ofDays(MAX_WINDOW_DAYS)) > 0) {
            throw new ValidationException(
                    fromName,
                    "the " + fromName + "/" + toName + " window is longer than " + MAX_WINDOW_DAYS
                            + " days; ask in windows of at most " + MAX_WINDOW_DAYS + " days");
        }
    }
}
