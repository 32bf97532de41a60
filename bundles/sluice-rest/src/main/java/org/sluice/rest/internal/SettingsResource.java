package org.sluice.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.error.ValidationException;
import org.sluice.api.security.Role;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/** Global settings: everyone may read them, admins change them. */
@Path(ApiPaths.OWN + "/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final SettingsService settings;

    public SettingsResource(SettingsService settings) {
        this.settings = settings;
    }

    @GET
    @Allow(Role.READ_ONLY)
    public List<Map<String, Object>> list() {
        return describe(settings.all());
    }

    /** Changes the settings named in the body (key to new value); the others keep their values. */
    @PUT
    public List<Map<String, Object>> update(Map<String, Object> changes, @Context SecurityContext caller) {
        if (changes == null || changes.isEmpty()) {
            throw new ValidationException(null, "the body must be an object of setting names to new values");
        }
        return describe(settings.update(changes, Caller.actorOf(caller)));
    }

    private static List<Map<String, Object>> describe(Map<String, Object> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", setting.key());
            // Secrets are set but never shown, not even to admins.
            m.put("value", setting.masked(values.get(setting.key())));
            m.put("secret", setting.secret());
            m.put("default", setting.defaultValue());
            m.put("type", setting.type().name().toLowerCase(java.util.Locale.ROOT));
            m.put("description", setting.description());
            out.add(m);
        }
        return out;
    }
}
