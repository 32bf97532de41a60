package org.sluice.rest.internal.compat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sluice.api.incident.Alert;

/**
 * The {@code hosts} of an incident ({@code attacker}, {@code cnc}, {@code forensics}, {@code url}), gathered from its
 * alerts' payloads in the JSON alert source's shape: {@code attacker} (ip_address, host_name, url), {@code
 * cnc_hosts} and {@code forensics_hosts} (a list of {@code {host, port}} or one such object), {@code threat_info.url}.
 */
final class Hosts {

    private Hosts() {}

    static Map<String, List<String>> of(List<Alert> alerts) {
        Set<String> attacker = new LinkedHashSet<>();
        Set<String> cnc = new LinkedHashSet<>();
        Set<String> forensics = new LinkedHashSet<>();
        Set<String> urls = new LinkedHashSet<>();
        for (Alert alert : alerts) {
            Map<String, Object> data = alert.data();
            if (data.get("attacker") instanceof Map<?, ?> who) {
                addText(attacker, who.get("ip_address"));
                addText(attacker, who.get("host_name"));
                addText(attacker, who.get("url"));
                addText(urls, who.get("url"));
            }
            collectHosts(cnc, data.get("cnc_hosts"));
            collectHosts(forensics, data.get("forensics_hosts"));
            if (data.get("threat_info") instanceof Map<?, ?> threat) {
                addText(urls, threat.get("url"));
            }
        }
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        hosts.put("attacker", List.copyOf(attacker));
        hosts.put("cnc", List.copyOf(cnc));
        hosts.put("forensics", List.copyOf(forensics));
        hosts.put("url", List.copyOf(urls));
        return hosts;
    }

    /** The attacker locations of one alert, as its event's {@code attackers}. */
    static List<String> attackers(Alert alert) {
        List<String> out = new ArrayList<>(of(List.of(alert)).get("attacker"));
        return out;
    }

    private static void collectHosts(Set<String> into, Object value) {
        if (value instanceof List<?> list) {
            list.forEach(item -> collectHosts(into, item));
        } else if (value instanceof Map<?, ?> host) {
            addText(into, host.get("host"));
        } else {
            addText(into, value);
        }
    }

    private static void addText(Set<String> into, Object value) {
        if (value instanceof String text && !text.isBlank()) {
            into.add(text);
        }
    }
}
