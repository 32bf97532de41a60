package org.sluice.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.error.ValidationException;
import org.sluice.api.notify.TemplateService;
import org.sluice.api.notify.TemplateSet;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/**
 * Notification templates (SPEC N1): analysts read them, admins copy and edit them. Every edit is stored as a new
 * version after its syntax was checked; the latest version is what notifications are rendered with.
 */
@Path(ApiPaths.OWN + "/notifications/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TemplateResource {

    private final TemplateService templates;

    public TemplateResource(TemplateService templates) {
        this.templates = templates;
    }

    /** Every template set with its kinds. */
    @GET
    @Allow(Role.ANALYST)
    public List<Map<String, Object>> sets() {
        return templates.sets().stream()
                .map(set -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", set.id());
                    m.put("plugin", set.plugin());
                    m.put("kinds", set.kinds());
                    return m;
                })
                .toList();
    }

    @GET
    @Path("{set}/{kind}")
    @Allow(Role.ANALYST)
    public Map<String, Object> get(@PathParam("set") String set, @PathParam("kind") String kind) {
        return describe(templates.get(set, kind));
    }

    /** The stored versions, oldest first; empty for a template never edited. */
    @GET
    @Path("{set}/{kind}/versions")
    @Allow(Role.ANALYST)
    public List<Map<String, Object>> versions(@PathParam("set") String set, @PathParam("kind") String kind) {
        templates.get(set, kind);
        return templates.history(set, kind).stream()
                .map(TemplateResource::describe)
                .toList();
    }

    /** Stores a new version: {@code subject}, {@code text} and optionally {@code html}. */
    @PUT
    @Path("{set}/{kind}")
    public Map<String, Object> update(
            @PathParam("set") String set,
            @PathParam("kind") String kind,
            Map<String, Object> body,
            @Context SecurityContext caller) {
        TemplateSet.Template template =
                new TemplateSet.Template(string(body, "subject"), string(body, "text"), string(body, "html"));
        return describe(templates.update(set, kind, template, Caller.actorOf(caller)));
    }

    /** Copies the template to {@code set} and {@code kind} given in the body. */
    @POST
    @Path("{set}/{kind}/copy")
    public Response copy(
            @PathParam("set") String set,
            @PathParam("kind") String kind,
            Map<String, Object> body,
            @Context SecurityContext caller) {
        String toSet = string(body, "set");
        String toKind = string(body, "kind");
        if (toSet == null || toKind == null) {
            throw new ValidationException(null, "the body must name the target \"set\" and \"kind\"");
        }
        return Response.status(Response.Status.CREATED)
                .entity(describe(templates.copy(set, kind, toSet, toKind, Caller.actorOf(caller))))
                .build();
    }

    /**
     * Deletes every stored version of one template of an admin's set; 409 for a plugin's set or a set named by a
     * setting.
     */
    @DELETE
    @Path("{set}/{kind}")
    public Response delete(
            @PathParam("set") String set, @PathParam("kind") String kind, @Context SecurityContext caller) {
        templates.delete(set, kind, Caller.actorOf(caller));
        return Response.noContent().build();
    }

    /** Deletes an admin's whole set; 409 for a plugin's set or a set named by a setting. */
    @DELETE
    @Path("{set}")
    public Response deleteSet(@PathParam("set") String set, @Context SecurityContext caller) {
        templates.deleteSet(set, Caller.actorOf(caller));
        return Response.noContent().build();
    }

    private static String string(Map<String, Object> body, String field) {
        if (body == null) {
            throw new ValidationException(null, "a JSON object is required");
        }
        Object value = body.get(field);
        if (value != null && !(value instanceof String)) {
            throw new ValidationException(field, "must be a string");
        }
        return (String) value;
    }

    private static Map<String, Object> describe(TemplateService.StoredTemplate t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("set", t.setId());
        m.put("kind", t.kind());
        m.put("version", t.version());
        m.put("subject", t.template().subject());
        m.put("text", t.template().text());
        m.put("html", t.template().html());
        m.put("edited_by", t.editedBy());
        m.put("edited_at", t.editedAt() == null ? null : Times.format(t.editedAt()));
        return m;
    }
}
