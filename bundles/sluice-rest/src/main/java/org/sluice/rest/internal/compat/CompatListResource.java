package org.sluice.rest.internal.compat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.list.ListService;
import org.sluice.api.list.ListService.ListMember;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.ApiPaths;
import org.sluice.rest.internal.Times;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/**
 * List members in the reference product's API. A member's value is under {@code host.host} (as clients search it)
 * and, for user lists, under {@code reverse_user.username}.
 */
@Path(ApiPaths.COMPAT + "/lists")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Allow(Role.READ_ONLY)
public class CompatListResource {

    private final ListService lists;

    public CompatListResource(ListService lists) {
        this.lists = lists;
    }

    @GET
    @Path("{list: \\d+}/members{ext: (\\.json)?}")
    public List<Map<String, Object>> members(@PathParam("list") long listId) {
        String kind = kind(listId);
        return lists.members(listId).stream().map(m -> member(m, kind)).toList();
    }

    @GET
    @Path("{list: \\d+}/members/{member: \\d+}{ext: (\\.json)?}")
    public Map<String, Object> member(@PathParam("list") long listId, @PathParam("member") long memberId) {
        return member(lists.member(listId, memberId), kind(listId));
    }

    @POST
    @Path("{list: \\d+}/members{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Response add(@PathParam("list") long listId, Map<String, Object> body, @Context SecurityContext caller) {
        ListMember member = lists.addMember(
                listId,
                CompatBodies.text(body, "member", true),
                CompatBodies.text(body, "description", false),
                Times.parse("expiration", CompatBodies.text(body, "expiration", false)),
                Caller.actorOf(caller));
        return Response.status(201).entity(member(member, kind(listId))).build();
    }

    @DELETE
    @Path("{list: \\d+}/members/{member: \\d+}{ext: (\\.json)?}")
    @Allow(Role.ANALYST)
    public Map<String, Object> remove(
            @PathParam("list") long listId, @PathParam("member") long memberId, @Context SecurityContext caller) {
        String kind = kind(listId);
        return member(lists.removeMember(listId, memberId, Caller.actorOf(caller)), kind);
    }

    private String kind(long listId) {
        return lists.lists().stream()
                .filter(l -> l.id() == listId)
                .map(ListService.ThreatList::kind)
                .findFirst()
                .orElseThrow(() -> new org.sluice.api.error.NotFoundException("list", listId));
    }

    private static Map<String, Object> member(ListMember m, String kind) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("list_id", m.listId());
        out.put("host", "user".equals(kind) ? null : Map.of("host", m.value()));
        out.put("reverse_user", "user".equals(kind) ? Map.of("username", m.value()) : null);
        out.put("description", m.description());
        out.put("expiration", WireFormat.time(m.expiration()));
        out.put("created_at", WireFormat.time(m.createdAt()));
        out.put("updated_at", WireFormat.time(m.updatedAt()));
        return out;
    }
}
