package org.sluice.source.json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;

/**
 * Validates a JSON alert source event ("JSON Alert Source" 1.0 and 2.0, PTR-API 3.12) and maps it to a {@link
 * NewAlert}. Lenient on purpose, because existing integrations send what they send: unknown keys are kept, any {@code
 * json_version} is accepted, and {@code cnc_hosts}/{@code forensics_hosts} may be one object instead of a list. The
 * known fields are checked by type, and a wrong type is a {@link ValidationException} naming the field (as a path such
 * as {@code attacker.ip_address} or {@code cnc_hosts[1].port}).
 *
 * <ul>
 *   <li>Severity: {@code info}/{@code Informational} -> informational, {@code minor}/{@code Low} -> low,
 *       {@code moderate}/{@code Medium} -> medium, {@code major}/{@code High} -> high, {@code critical} -> critical
 *       (any case); absent -> {@value #DEFAULT_SEVERITY_NAME}; any other value is rejected.
 *   <li>Link key: {@code <link_attribute>:<value>}, such as {@code attacker_ip_address:203.0.113.9}, where the value is
 *       read from the event ({@code attacker_ip_address} from {@code attacker.ip_address}, {@code email_sender} from
 *       {@code email.sender}, {@code threat_filehash} from {@code threat_info.filehash}, ...). Without {@code
 *       link_attribute} the default is {@value #DEFAULT_LINK_ATTRIBUTE}. When the event has no value for the
 *       attribute, the alert has no link key and opens an incident of its own. Addresses, host names and hashes are
 *       compared case-insensitively (lower-cased in the key).
 *   <li>Summary: {@code summary}; without one, a line naming the classification and the source.
 *   <li>Data: the whole event, unchanged.
 * </ul>
 */
final class JsonEvents {

    static final String DEFAULT_LINK_ATTRIBUTE = "attacker_ip_address";
    static final String DEFAULT_SEVERITY_NAME = "medium";

    /** The longest value used in a link key; the core refuses keys over 1,000 characters. */
    static final int MAX_LINK_VALUE = 900;

    /** link_attribute values and where their value is in the event: object key, then field. */
    private static final Map<String, String[]> LINK_ATTRIBUTES = linkAttributes();

    /** Link attributes whose values are compared case-insensitively. */
    private static final Set<String> CASE_INSENSITIVE = Set.of(
            "ip_address", "hostname", "machine_name", "mac_address", "email_recipient", "email_sender", "filehash");

    private static final Set<String> HOST_FIELDS =
            Set.of("ip_address", "mac_address", "host_name", "hostname", "machine_name", "url", "user");

    private JsonEvents() {}

    static NewAlert toAlert(Map<String, Object> event, String sourceName) {
        if (event.isEmpty()) {
            throw new ValidationException(
                    "event", "is an empty object; send at least a summary, a classification or an attacker or target");
        }
        versionOf(event);
        String summary = string(event, "summary", "summary");
        String classification = string(event, "classification", "classification");
        Severity severity = severity(string(event, "severity", "severity"));
        String linkAttribute = string(event, "link_attribute", "link_attribute");
        for (String key : List.of("attacker", "target")) {
            Map<String, Object> host = object(event, key, key);
            if (host != null) {
                hostFields(host, key);
            }
        }
        for (String key : List.of("cnc_hosts", "forensics_hosts")) {
            hostList(event.get(key), key);
        }
        for (String key : List.of("email", "threat_info", "detector", "custom_fields")) {
            object(event, key, key);
        }
        String linkKey = linkKey(event, linkAttribute);
        String line = summary != null && !summary.isBlank()
                ? summary.strip()
                : (classification == null || classification.isBlank() ? "JSON event" : classification.strip())
                        + " from JSON source '" + sourceName + "'";
        return new NewAlert(
                JsonEventSource.TYPE,
                sourceName,
                null,
                linkKey,
                severity,
                line,
                null,
                null,
                new LinkedHashMap<>(event),
                messageIds(event));
    }

    /** The Message-ID of the event's {@code email}, when it names one, so the incident can be found by it. */
    private static List<String> messageIds(Map<String, Object> event) {
        if (event.get("email") instanceof Map<?, ?> email && email.get("message_id") instanceof String id) {
            return List.of(id);
        }
        return List.of();
    }

    /** Any string or number is accepted as {@code json_version}; 1.0 and 2.0 are what clients send. */
    private static void versionOf(Map<String, Object> event) {
        Object version = event.get("json_version");
        if (version != null && !(version instanceof String) && !(version instanceof Number)) {
            throw new ValidationException("json_version", "must be a string such as \"2.0\", not " + kind(version));
        }
    }

    static Severity severity(String text) {
        if (text == null || text.isBlank()) {
            return Severity.parse(DEFAULT_SEVERITY_NAME);
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "info", "informational" -> Severity.INFORMATIONAL;
            case "minor", "low" -> Severity.LOW;
            case "moderate", "medium" -> Severity.MEDIUM;
            case "major", "high" -> Severity.HIGH;
            case "critical" -> Severity.CRITICAL;
            default ->
                throw new ValidationException(
                        "severity",
                        "unknown value '" + shorten(text) + "' (expected info, minor, moderate, major, critical,"
                                + " Informational, Low, Medium, High or Critical)");
        };
    }

    static String linkKey(Map<String, Object> event, String linkAttribute) {
        String attribute = linkAttribute == null || linkAttribute.isBlank()
                ? DEFAULT_LINK_ATTRIBUTE
                : linkAttribute.strip().toLowerCase(Locale.ROOT);
        String[] where = LINK_ATTRIBUTES.get(attribute);
        if (where == null) {
            throw new ValidationException(
                    "link_attribute",
                    "unknown value '" + shorten(linkAttribute) + "' (expected one of "
                            + String.join(", ", LINK_ATTRIBUTES.keySet()) + ")");
        }
        Object container = event.get(where[0]);
        if (!(container instanceof Map<?, ?> map)) {
            return null;
        }
        Object raw = map.get(where[1]);
        if (!(raw instanceof String) && !(raw instanceof Number)) {
            return null;
        }
        String value = raw.toString().strip();
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_LINK_VALUE) {
            throw new ValidationException(
                    where[0] + "." + where[1],
                    "is longer than " + MAX_LINK_VALUE + " characters, too long to link alerts by");
        }
        boolean ignoreCase = CASE_INSENSITIVE.stream().anyMatch(attribute::endsWith);
        return attribute + ":" + (ignoreCase ? value.toLowerCase(Locale.ROOT) : value);
    }

    private static void hostFields(Map<String, Object> host, String path) {
        for (String field : HOST_FIELDS) {
            Object value = host.get(field);
            if (value != null && !(value instanceof String)) {
                throw new ValidationException(path + "." + field, "must be a string, not " + kind(value));
            }
        }
        port(host.get("port"), path + ".port");
    }

    /** A list of {host, port} objects, or one such object. */
    private static void hostList(Object value, String path) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?>) {
            hostEntry(value, path);
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                hostEntry(list.get(i), path + "[" + i + "]");
            }
        } else {
            throw new ValidationException(path, "must be a list of {\"host\", \"port\"} objects, not " + kind(value));
        }
    }

    private static void hostEntry(Object value, String path) {
        if (!(value instanceof Map<?, ?> entry)) {
            throw new ValidationException(path, "must be a {\"host\", \"port\"} object, not " + kind(value));
        }
        Object host = entry.get("host");
        if (host != null && !(host instanceof String)) {
            throw new ValidationException(path + ".host", "must be a string, not " + kind(host));
        }
        port(entry.get("port"), path + ".port");
    }

    private static void port(Object value, String path) {
        if (value == null) {
            return;
        }
        long port;
        if (value instanceof Integer || value instanceof Long) {
            port = ((Number) value).longValue();
        } else if (value instanceof String text && text.strip().matches("[0-9]{1,5}")) {
            port = Long.parseLong(text.strip());
        } else {
            throw new ValidationException(path, "must be a port number, not " + kind(value));
        }
        if (port < 0 || port > 65_535) {
            throw new ValidationException(path, "must be a port number from 0 to 65535, not " + port);
        }
    }

    private static String string(Map<String, Object> event, String key, String path) {
        Object value = event.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new ValidationException(path, "must be a string, not " + kind(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> event, String key, String path) {
        Object value = event.get(key);
        if (value == null || value instanceof Map<?, ?>) {
            return (Map<String, Object>) value;
        }
        throw new ValidationException(path, "must be a JSON object, not " + kind(value));
    }

    private static String kind(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static String shorten(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= 40 ? clean : clean.substring(0, 40) + "...";
    }

    private static Map<String, String[]> linkAttributes() {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String side : List.of("target", "attacker")) {
            out.put(side + "_ip_address", new String[] {side, "ip_address"});
            out.put(side + "_hostname", new String[] {side, "host_name"});
            out.put(side + "_machine_name", new String[] {side, "machine_name"});
            out.put(side + "_user", new String[] {side, "user"});
            out.put(side + "_mac_address", new String[] {side, "mac_address"});
        }
        out.put("email_recipient", new String[] {"email", "recipient"});
        out.put("email_sender", new String[] {"email", "sender"});
        out.put("email_subject", new String[] {"email", "subject"});
        out.put("message_id", new String[] {"email", "message_id"});
        out.put("threat_filename", new String[] {"threat_info", "filename"});
        out.put("threat_filehash", new String[] {"threat_info", "filehash"});
        return out;
    }
}
