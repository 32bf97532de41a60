package org.sluice.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/** Who the caller is, as the server sees it: handy to check a key or a password. */
@Path(ApiPaths.OWN + "/me")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.READ_ONLY)
public class MeResource {

    @GET
    public Map<String, Object> me(@Context SecurityContext context) {
        Caller caller = (Caller) context.getUserPrincipal();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", caller.actor().name());
        m.put("kind", caller.actor().kind() == org.sluice.api.security.Actor.Kind.API_KEY ? "api_key" : "user");
        m.put("role", caller.role().wireName());
        return m;
    }
}
