package org.sluice.rest.internal;

import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;

/** Single alerts, with the source's payload as received. */
@Path(ApiPaths.OWN + "/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.READ_ONLY)
public class AlertResource {

    private final IncidentService incidents;

    public AlertResource(IncidentService incidents) {
        this.incidents = incidents;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") long id) {
        return IncidentResource.alert(incidents.alert(id).orElseThrow(() -> new NotFoundException("alert", id)));
    }
}
