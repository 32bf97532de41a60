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
import org.sluice.api.audit.AuditLog;
import org.sluice.api.idempotency.IdempotencyStore;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.AccountService;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.settings.SettingsService;
import org.sluice.rest.internal.security.AuthenticationFilter;
import org.sluice.rest.internal.security.IdempotencyFilter;

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
    public SluiceApiApplication(
            @Reference IncidentService incidents,
            @Reference AuditLog audit,
            @Reference AccountService accounts,
            @Reference ApiKeyService apiKeys,
            @Reference IdempotencyStore idempotency,
            @Reference SettingsService settings,
            @Reference ResponseQueue queue,
            @Reference PluginRegistry plugins) {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.singletons = Set.of(
                new JacksonJsonProvider(mapper),
                new ErrorMapper(),
                new AuthenticationFilter(apiKeys, accounts),
                new IdempotencyFilter(idempotency, mapper),
                new StatusResource(),
                new OpenApiResource(),
                new MeResource(),
                new IncidentResource(incidents),
                new AlertResource(incidents),
                new AuditResource(audit),
                new AccountResource(accounts),
                new ApiKeyResource(apiKeys),
                new SettingsResource(settings),
                new JobResource(queue),
                new PluginResource(plugins));
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }
}
