package org.sluice.source.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;

class JsonEventsTest {

    @Test
    void mapsAVersionTwoEventWithItsLinkAttributeSeverityAndUnknownKeys() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("json_version", "2.0");
        event.put("summary", "  Phish reported by the gateway ");
        event.put("severity", "Major");
        event.put("link_attribute", "email_sender");
        event.put("email", Map.of("sender", "Bad@Example.COM", "subject", "Invoice"));
        event.put("vendor_extra", List.of(1, 2));

        NewAlert alert = JsonEvents.toAlert(event, "soar");

        assertEquals("json", alert.sourceType());
        assertEquals("soar", alert.sourceInstance());
        assertEquals(Severity.HIGH, alert.severity());
        assertEquals("email_sender:bad@example.com", alert.linkKey());
        assertEquals("Phish reported by the gateway", alert.summary());
        assertEquals(List.of(1, 2), alert.data().get("vendor_extra"));
        assertNull(alert.externalId());
    }

    @Test
    void anEmptyEventIsRefusedButAFreeFormOneIsKept() {
        ValidationException empty = assertThrows(ValidationException.class, () -> JsonEvents.toAlert(Map.of(), "soar"));
        assertEquals("event", empty.field());
        NewAlert freeForm = JsonEvents.toAlert(Map.of("incident_id", 7, "username", "jsmith"), "soar");
        assertEquals("JSON event from JSON source 'soar'", freeForm.summary());
        assertEquals(7, freeForm.data().get("incident_id"));
    }

    @Test
    void linksByTheAttackerIpAddressWhenNoLinkAttributeIsGivenAndDefaultsToMedium() {
        NewAlert alert = JsonEvents.toAlert(
                Map.of("attacker", Map.of("ip_address", "203.0.113.9"), "classification", "malware"), "ids");

        assertEquals("attacker_ip_address:203.0.113.9", alert.linkKey());
        assertEquals(Severity.MEDIUM, alert.severity());
        assertEquals("malware from JSON source 'ids'", alert.summary());
    }

    @Test
    void theEmailMessageIdMakesTheIncidentFindableByIt() {
        NewAlert alert = JsonEvents.toAlert(Map.of("email", Map.of("message_id", "<abc@evil.test>")), "s");
        NewAlert none = JsonEvents.toAlert(Map.of("email", Map.of("subject", "hi")), "s");

        assertEquals(java.util.List.of("<abc@evil.test>"), alert.messageIds());
        assertEquals(java.util.List.of(), none.messageIds());
    }

    @Test
    void anEventWithoutTheLinkValueHasNoLinkKey() {
        assertNull(JsonEvents.toAlert(Map.of("link_attribute", "target_user", "target", Map.of()), "s")
                .linkKey());
    }

    @Test
    void mapsEverySeverityOfBothVersions() {
        assertEquals(Severity.INFORMATIONAL, JsonEvents.severity("info"));
        assertEquals(Severity.INFORMATIONAL, JsonEvents.severity("Informational"));
        assertEquals(Severity.LOW, JsonEvents.severity("minor"));
        assertEquals(Severity.LOW, JsonEvents.severity("Low"));
        assertEquals(Severity.MEDIUM, JsonEvents.severity("moderate"));
        assertEquals(Severity.MEDIUM, JsonEvents.severity("Medium"));
        assertEquals(Severity.HIGH, JsonEvents.severity("major"));
        assertEquals(Severity.HIGH, JsonEvents.severity("High"));
        assertEquals(Severity.CRITICAL, JsonEvents.severity("critical"));
    }

    @Test
    void acceptsASingleHostObjectWhereAListIsDocumented() {
        NewAlert alert = JsonEvents.toAlert(
                Map.of("forensics_hosts", Map.of("host", "a.example", "port", "443"), "json_version", "value"), "s");

        assertTrue(alert.data().containsKey("forensics_hosts"));
    }

    @Test
    void wrongTypesAreRejectedNamingTheField() {
        assertField("severity", Map.of("severity", 5));
        assertField("severity", Map.of("severity", "apocalyptic"));
        assertField("attacker", Map.of("attacker", "1.2.3.4"));
        assertField("attacker.ip_address", Map.of("attacker", Map.of("ip_address", List.of("1.2.3.4"))));
        assertField("cnc_hosts[1].port", Map.of("cnc_hosts", List.of(Map.of("host", "a"), Map.of("port", 70_000))));
        assertField("cnc_hosts", Map.of("cnc_hosts", "evil.example"));
        assertField("custom_fields", Map.of("custom_fields", List.of()));
        assertField("link_attribute", Map.of("link_attribute", "favourite_colour"));
        assertField("summary", Map.of("summary", Map.of()));
        assertField("json_version", Map.of("json_version", List.of()));
    }

    private static void assertField(String field, Map<String, Object> event) {
        ValidationException failure = assertThrows(ValidationException.class, () -> JsonEvents.toAlert(event, "s"));
        assertEquals(field, failure.field(), failure.getMessage());
    }
}
