package org.sluice.rest.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;
import java.util.Set;
import javax.ws.rs.core.Application;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.sluice.api.audit.AuditLog;
import org.sluice.api.clear.ClearAnalysis;
import org.sluice.api.clear.ReportIntake;
import org.sluice.api.idempotency.IdempotencyStore;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.list.ListService;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.notify.TemplateService;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.AccountService;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.settings.SettingsService;
import org.sluice.rest.internal.compat.CompatAlertResource;
import org.sluice.rest.internal.compat.CompatIncidentResource;
import org.sluice.rest.internal.compat.CompatListResource;
import org.sluice.rest.internal.security.AuthenticationFilter;
import org.sluice.rest.internal.security.BodyLimitFilter;
import org.sluice.rest.internal.security.ContentTypeFilter;
import org.sluice.rest.internal.security.IdempotencyFilter;

/**
 * The one JAX-RS application of the core: Sluice's own API under {@code /sluice/api/v1} and the compatible API of the
 * reference product under {@code /api} (see {@link ApiPaths} for why they share it). It owns all of its resources and
 * providers as singletons: nothing joins it through the whiteboard, so plugins coming and going never make the
 * whiteboard rebuild it. Errors and refusals take the shape of the API the request's path belongs to.
 */
@Component(service = Application.class)
@JaxrsApplicationBase("/")
@JaxrsName("sluice")
public class SluiceApiApplication extends Application {

    private final Set<Object> singletons;

    /** The CLEAR report intake, when its feature runs; uploads answer 503 without it. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReportIntake reportIntake;

    /** The CLEAR analyses (headers, dry run), when its feature runs; they answer 503 without it. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ClearAnalysis clearAnalysis;

    @Activate
    public SluiceApiApplication(
            @Reference IncidentService incidents,
            @Reference AuditLog audit,
            @Reference AccountService accounts,
            @Reference ApiKeyService apiKeys,
            @Reference IdempotencyStore idempotency,
            @Reference SettingsService settings,
            @Reference ResponseQueue queue,
            @Reference PluginRegistry plugins,
            @Reference ListService lists,
            @Reference RawMailStore rawMail,
            @Reference QuarantineService quarantine,
            @Reference TemplateService templates) {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.singletons = Set.of(
                new JacksonJsonProvider(mapper),
                new ErrorMapper(),
                new SlashFilter(),
                new BodyLimitFilter(),
                new ContentTypeFilter(),
                new AuthenticationFilter(apiKeys, accounts, ErrorMapper::respond),
                new IdempotencyFilter(idempotency, mapper),
                new StatusResource(),
                new OpenApiResource(),
                new MeResource(),
                new IncidentResource(incidents, quarantine),
                new ResponseResource(quarantine),
                new AlertResource(incidents, () -> clearAnalysis),
                new AuditResource(audit),
                new AccountResource(accounts),
                new ApiKeyResource(apiKeys),
                new SettingsResource(settings),
                new JobResource(queue),
                new PluginResource(plugins),
                new TemplateResource(templates),
                new CompatIncidentResource(incidents, accounts, mapper, quarantine),
                new CompatListResource(lists),
                new CompatAlertResource(incidents, rawMail),
                new ClearResource(() -> reportIntake),
                new ClearAnalysisResource(() -> clearAnalysis, mapper));
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }
}
