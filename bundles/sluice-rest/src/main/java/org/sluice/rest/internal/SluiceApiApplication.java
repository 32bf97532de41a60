package org.sluice.rest.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;
import java.util.Set;
import javax.ws.rs.core.Application;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.sluice.api.incident.IncidentService;

/**
 * Sluice's own API, {@code /sluice/api/v1}. The application owns all of its resources and providers as singletons:
 * nothing joins it through the whiteboard, so plugins coming and going never make the whiteboard rebuild it.
 */
@Component(service = Application.class)
@JaxrsApplicationBase("sluice/api/v1")
@JaxrsName("sluice-api")
public class SluiceApiApplication extends Application {

    private final Set<Object> singletons;

    @Activate
    public SluiceApiApplication(@Reference IncidentService incidents) {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.singletons = Set.of(
                new JacksonJsonProvider(mapper),
                new ErrorMapper(),
                new StatusResource(),
                new IncidentResource(incidents));
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }
}
