package org.sluice.shell.internal;

import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Hashtable;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.boot.SecretBox;

@Service
@Command(
        scope = "sluice",
        name = "source-add-json",
        description = "Creates a JSON event source with a random source id and prints its POST URL (shown once)")
public class SourceAddJsonCommand implements Action {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Reference
    private ConfigurationAdmin configs;

    @Reference
    private SecretBox box;

    // Optional: Karaf registers a bundle's commands only when all their required services are present.
    @Reference(optional = true)
    private PluginRegistry plugins;

    @Argument(index = 0, name = "name", required = true, description = "Name of the source: letters, digits, . _ -")
    private String name;

    @Override
    public Object execute() throws Exception {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                    "name '" + Formats.text(name) + "': use 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Configuration configuration = configs.getFactoryConfiguration(JsonSources.PID, name, "?");
        if (configuration.getProperties() != null) {
            throw new IllegalArgumentException("a JSON event source named '" + name + "' already exists");
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", name);
        properties.put("sourceId", box.encrypt(id));
        // Also kept as a file in etc/, like every other configuration, so that the source survives a clean start
        // (data/ removed) and an admin sees it beside the rest. The configuration names its file first: Karaf's file
        // installer then finds it when it reads the file, instead of creating a second one.
        String etc = System.getProperty("karaf.etc");
        File file = etc == null ? null : new File(etc, JsonSources.PID + "-" + name + ".cfg").getAbsoluteFile();
        if (file != null) {
            properties.put("felix.fileinstall.filename", file.toURI().toString());
        }
        configuration.update(properties);
        if (file != null) {
            Files.writeString(
                    file.toPath(),
                    "# JSON event source '" + name + "', made by sluice:source-add-json. The source id is the"
                            + " encrypted\n# secret in the POST URL; delete this file to remove the source.\n"
                            + "name = " + name + "\nsourceId = " + properties.get("sourceId") + "\n",
                    StandardCharsets.UTF_8);
        }
        System.out.println("JSON event source '" + name + "' created. Its POST URL (shown this once; keep it secret):");
        System.out.println("  https://" + host() + ":" + port() + JsonSources.PATH + id);
        if (plugins == null || plugins.eventReceiver("json").isEmpty()) {
            System.out.println("The JSON alert source is not installed (feature:install sluice-source-json); "
                    + "the URL answers 503 until it is.");
        }
        return null;
    }

    private String port() throws Exception {
        Object port = configs.getConfiguration("org.ops4j.pax.web", "?")
                .getProperties()
                .get("org.osgi.service.http.port.secure");
        return port == null ? "8443" : port.toString();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
