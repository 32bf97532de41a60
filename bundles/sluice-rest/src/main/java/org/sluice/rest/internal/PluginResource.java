package org.sluice.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.plugin.PluginRegistry.PluginInfo;

/** The plugins running now (admins only): kind, type, instance, bundle, and the health of alert sources. */
@Path(ApiPaths.OWN + "/plugins")
@Produces(MediaType.APPLICATION_JSON)
public class PluginResource {

    private final PluginRegistry registry;

    public PluginResource(PluginRegistry registry) {
        this.registry = registry;
    }

    @GET
    public List<Map<String, Object>> list() {
        return registry.plugins().stream().map(PluginResource::plugin).toList();
    }

    private static Map<String, Object> plugin(PluginInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", p.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("type", p.type());
        m.put("instance", p.instance());
        m.put("bundle", p.bundle());
        if (p.health() != null) {
            Map<String, Object> health = new LinkedHashMap<>();
            health.put(
                    "status",
                    p.health().status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            health.put("detail", p.health().detail());
            health.put("last_poll", Times.format(p.health().lastPoll()));
            m.put("health", health);
        }
        return m;
    }
}
