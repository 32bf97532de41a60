package org.sluice.rest.internal.compat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sluice.api.incident.Alert;

/**
 * An alert as an event of the reference's incident JSON. Email fields come from the alert payload's {@code email}
 * object when there is one; {@code messageDeliveryTime} is written in the object form with {@code millis}, which
 * every known client reads.
 */
final class Events {

    private Events() {}

    static Map<String, Object> event(Alert alert) {
        Map<String, Object> data = alert.data();
        String classification = text(data.get("classification"));
        Map<?, ?> threat = data.get("threat_info") instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", alert.id());
        e.put("category", classification);
        e.put("alertType", classification);
        e.put("severity", WireFormat.eventSeverity(alert.severity()));
        e.put("source", WireFormat.sourceName(alert));
        e.put("state", "Linked");
        e.put("attackDirection", "inbound");
        e.put("received", WireFormat.time(alert.receivedAt()));
        e.put("threatname", text(threat.get("name")));
        e.put("description", alert.description() != null ? alert.description() : alert.summary());
        e.put("malwareName", text(threat.get("malware_name")));
        e.put("classified", classification != null);
        e.put("falsePositive", false);
        e.put(
                "attackers",
                Hosts.attackers(alert).stream().map(h -> Map.of("location", h)).toList());
        e.put("emails", data.get("email") instanceof Map<?, ?> email ? List.of(email(email)) : List.of());
        return e;
    }

    private static Map<String, Object> email(Map<?, ?> email) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sender", address(email.get("sender")));
        m.put("recipient", address(email.get("recipient")));
        m.put("subject", text(email.get("subject")));
        m.put(
                "messageId",
                text(email.get("message_id")) != null ? text(email.get("message_id")) : text(email.get("messageId")));
        m.put("messageDeliveryTime", deliveryTime(email.get("delivery_time")));
        m.put("abuseCopy", false);
        m.put("body", null);
        m.put("bodyType", null);
        m.put("headers", email.get("headers") instanceof Map<?, ?> headers ? headers : Map.of());
        m.put("urls", email.get("urls") instanceof List<?> urls ? urls : List.of());
        m.put("attachments", email.get("attachments") instanceof List<?> attachments ? attachments : List.of());
        return m;
    }

    private static Map<String, Object> address(Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("email", value instanceof Map<?, ?> map ? text(map.get("email")) : text(value));
        m.put("vap", false);
        return m;
    }

    /** The Joda-style object the reference serialises, or {@code null} when the payload has no usable time. */
    private static Map<String, Object> deliveryTime(Object value) {
        Instant instant;
        try {
            instant = value instanceof String text ? Instant.parse(text) : null;
        } catch (DateTimeParseException e) {
            instant = null;
        }
        if (instant == null) {
            return null;
        }
        Map<String, Object> zone = new LinkedHashMap<>();
        zone.put("fixed", true);
        zone.put("id", "UTC");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("millis", instant.toEpochMilli());
        m.put("zone", zone);
        m.put("chronology", Map.of("zone", zone));
        boolean past = instant.isBefore(Instant.now());
        m.put("afterNow", !past);
        m.put("equalNow", false);
        m.put("beforeNow", past);
        return m;
    }

    private static String text(Object value) {
        return value instanceof String text ? text : null;
    }
}
