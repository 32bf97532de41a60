package org.sluice.shell.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.boot.SecretBox;

/**
 * The configuration contract of the JSON alert source plugin (sluice-source-json), which the shell edits without
 * depending on the plugin: factory PID {@value #PID} with the properties {@code name} and {@code sourceId} (stored as
 * {@code ENC(...)}). The endpoint path belongs to the core.
 */
final class JsonSources {

    static final String PID = "org.sluice.source.json";
    static final String PATH = "/threat/json_event/events/";

    private JsonSources() {}

    /** Source name to decrypted source id, for every configured JSON source. */
    static Map<String, String> ids(ConfigurationAdmin configs, SecretBox box) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Configuration[] found;
        try {
            found = configs.listConfigurations("(service.factoryPid=" + PID + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter for " + PID, e);
        }
        if (found == null) {
            return out;
        }
        for (Configuration configuration : found) {
            Object name = configuration.getProperties().get("name");
            Object id = configuration.getProperties().get("sourceId");
            if (name != null && id != null) {
                out.put(name.toString(), box.decrypt(id.toString()));
            }
        }
        return out;
    }

    /** The path with only the first four characters of the id, for lists. */
    static String maskedPath(String id) {
        return PATH + (id.length() <= 4 ? "****" : id.substring(0, 4) + "...");
    }
}
