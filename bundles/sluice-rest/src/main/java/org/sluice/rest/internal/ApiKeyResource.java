package org.sluice.rest.internal;

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
import org.sluice.api.security.ApiKey;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.CreatedApiKey;
import org.sluice.rest.internal.security.Caller;

/** API keys (admins only). The secret is in the creation response and nowhere else. */
@Path(ApiPaths.OWN + "/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private final ApiKeyService apiKeys;

    public ApiKeyResource(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    @GET
    public List<Map<String, Object>> list() {
        return apiKeys.list().stream().map(ApiKeyResource::key).toList();
    }

    @POST
    public Response create(Map<String, Object> body, @Context SecurityContext caller) {
        CreatedApiKey created =
                apiKeys.create(Bodies.requiredText(body, "name"), AccountResource.role(body), Caller.actorOf(caller));
        Map<String, Object> answer = key(created.key());
        answer.put("key", created.secret());
        return Response.status(201)
                .header("Cache-Control", "no-store")
                .entity(answer)
                .build();
    }

    /** Revokes the key; answers with the revoked key rather than an empty body. */
    @DELETE
    @Path("{id}")
    public Map<String, Object> revoke(@PathParam("id") long id, @Context SecurityContext caller) {
        return key(apiKeys.revoke(id, Caller.actorOf(caller)));
    }

    static Map<String, Object> key(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("prefix", k.prefix());
        m.put("role", k.role().wireName());
        m.put("created_by", k.createdBy());
        m.put("created_at", Times.format(k.createdAt()));
        m.put("last_used_at", Times.format(k.lastUsedAt()));
        m.put("revoked_at", Times.format(k.revokedAt()));
        return m;
    }
}
