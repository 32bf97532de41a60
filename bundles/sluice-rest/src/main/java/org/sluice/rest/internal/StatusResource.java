package org.sluice.rest.internal;

import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.sluice.rest.internal.security.Public;

/** Liveness: answers without authentication and reveals nothing but that the API is up. */
@Path(ApiPaths.OWN + "/health")
@Public
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @GET
    public Map<String, Object> health() {
        return Map.of(
                "status",
                "up",
                "uptime_seconds",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    }
}
