package org.sluice.rest.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Page;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseAttempt;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/** The response queue: jobs, their attempts, and the two actions on them (retry now, cancel). */
@Path(ApiPaths.OWN + "/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.READ_ONLY)
public class JobResource {

    private final ResponseQueue queue;

    public JobResource(ResponseQueue queue) {
        this.queue = queue;
    }

    @GET
    public Map<String, Object> list(
            @QueryParam("state") String state,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (offset < 0 || limit < 1 || limit > 500) {
            throw new ValidationException("limit", "offset must be >= 0 and limit between 1 and 500");
        }
        Page<ResponseJob> page = queue.list(state == null ? null : parse(state), offset, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(JobResource::job).toList());
        body.put("total", page.total());
        body.put("offset", page.offset());
        body.put("limit", page.limit());
        return body;
    }

    /** How many jobs are in each state. */
    @GET
    @Path("depth")
    public Map<String, Long> depth() {
        Map<String, Long> depth = new LinkedHashMap<>();
        queue.depthByState().forEach((state, count) -> depth.put(name(state), count));
        return depth;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") long id) {
        Map<String, Object> body = job(queue.get(id).orElseThrow(() -> new NotFoundException("job", id)));
        body.put(
                "attempts",
                queue.attempts(id).stream().map(JobResource::attempt).toList());
        return body;
    }

    @POST
    @Path("{id}/retry")
    @Allow(Role.ANALYST)
    public Map<String, Object> retry(@PathParam("id") long id, @Context SecurityContext caller) {
        return job(queue.retryNow(id, Caller.actorOf(caller)));
    }

    @POST
    @Path("{id}/cancel")
    @Allow(Role.ANALYST)
    public Map<String, Object> cancel(@PathParam("id") long id, @Context SecurityContext caller) {
        return job(queue.cancel(id, Caller.actorOf(caller)));
    }

    private static JobState parse(String state) {
        try {
            return JobState.valueOf(state.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    "state",
                    "unknown job state '" + state + "' (queued, running, succeeded, not-found, failed, cancelled)");
        }
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Map<String, Object> job(ResponseJob j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("type", j.type());
        m.put("incident_id", j.incidentId());
        m.put("target", j.target());
        m.put("parameters", j.parameters());
        m.put("state", name(j.state()));
        m.put("attempts", j.attempts());
        m.put("max_attempts", j.maxAttempts());
        m.put("next_attempt_at", Times.format(j.nextAttemptAt()));
        m.put("claimed_by", j.claimedBy());
        m.put("lease_until", Times.format(j.leaseUntil()));
        m.put("created_at", Times.format(j.createdAt()));
        m.put("updated_at", Times.format(j.updatedAt()));
        m.put("last_detail", j.lastDetail());
        return m;
    }

    private static Map<String, Object> attempt(ResponseAttempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", a.number());
        m.put("node", a.node());
        m.put("started_at", Times.format(a.startedAt()));
        m.put("ended_at", Times.format(a.endedAt()));
        m.put("status", name(a.status()));
        m.put("provider_status", a.providerStatus());
        m.put("detail", a.detail());
        m.put("next_attempt_at", Times.format(a.nextAttemptAt()));
        return m;
    }
}
