package org.sluice.shell.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.plugin.PluginRegistry.PluginInfo;
import org.sluice.boot.SecretBox;

@Service
@Command(
        scope = "sluice",
        name = "source-list",
        description = "Lists the alert sources with their health; JSON sources with their URL path (id masked)")
public class SourceListCommand implements Action {

    // Optional: Karaf registers a bundle's commands only when all their required services are present.
    @Reference(optional = true)
    private PluginRegistry plugins;

    @Reference
    private ConfigurationAdmin configs;

    @Reference
    private SecretBox box;

    @Option(name = "--show-ids", description = "Show JSON sources' full source ids (secrets) in their paths")
    private boolean showIds;

    @Option(name = "--no-format", description = "Tab-separated output without borders, for scripts")
    private boolean noFormat;

    @Override
    public Object execute() throws Exception {
        Map<String, String> jsonIds = new HashMap<>(JsonSources.ids(configs, box));
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Type", "Name", "Status", "Last event", "Detail", "Path"}) {
            table.column(column);
        }
        Set<String> listed = new HashSet<>();
        if (plugins != null) {
            for (PluginInfo plugin : plugins.plugins()) {
                if (plugin.kind() != PluginRegistry.Kind.ALERT_SOURCE) {
                    continue;
                }
                String path = "";
                if ("json".equals(plugin.type()) && plugin.instance() != null) {
                    listed.add(plugin.instance());
                    path = path(jsonIds.get(plugin.instance()));
                }
                table.addRow()
                        .addContent(
                                plugin.type(),
                                Formats.text(plugin.instance()),
                                plugin.health() == null
                                        ? ""
                                        : Formats.name(plugin.health().status()),
                                plugin.health() == null
                                        ? ""
                                        : Formats.time(plugin.health().lastPoll()),
                                plugin.health() == null
                                        ? ""
                                        : Formats.shorten(plugin.health().detail(), 50),
                                path);
            }
        }
        for (Map.Entry<String, String> configured : jsonIds.entrySet()) {
            if (!listed.contains(configured.getKey())) {
                table.addRow()
                        .addContent(
                                "json",
                                Formats.text(configured.getKey()),
                                "not-running",
                                "",
                                "configured, but the JSON alert source is not running",
                                path(configured.getValue()));
            }
        }
        table.print(System.out, !noFormat);
        return null;
    }

    private String path(String id) {
        if (id == null) {
            return "";
        }
        return showIds ? JsonSources.PATH + id : JsonSources.maskedPath(id);
    }
}
