package org.sluice.core.internal.quarantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.Severity;

class TargetsTest {

    private static final Instant REPORTED = Instant.parse("2026-12-04T09:30:00Z");

    private static Alert alert(Map<String, Object> email) {
        return new Alert(
                1, 2, "clear", "upload", "x", Severity.LOW, "s", null, REPORTED, REPORTED, Map.of("email", email));
    }

    @Test
    void messageWithoutIdIsSoughtBySenderSubjectAndTheGivenWindow() {
        Map<String, Object> email = new HashMap<>();
        email.put("sender", Map.of("email", "Mail Admin <Admin@Mailbox-Evil.test>"));
        email.put("subject", "Mailbox quota exceeded");
        email.put("delivery_time", "2026-12-03T07:00:00Z");
        email.put("received_after", "2026-12-02T07:00:00Z");
        email.put("received_before", "2026-12-05T09:30:00Z");
        Map<String, String> target = Targets.of(alert(email)).orElseThrow();
        assertNull(target.get(QuarantineParams.MESSAGE_ID));
        assertEquals("admin@mailbox-evil.test", target.get(QuarantineParams.SENDER));
        assertEquals("Mailbox quota exceeded", target.get(QuarantineParams.SUBJECT));
        assertEquals("2026-12-02T07:00:00Z", target.get(QuarantineParams.RECEIVED_FROM));
        assertEquals("2026-12-05T09:30:00Z", target.get(QuarantineParams.RECEIVED_TO));
    }

    @Test
    void withoutAUsableWindowTheDeliveryTimeIsTheCentre() {
        Map<String, Object> email = new HashMap<>();
        email.put("sender", "bad@evil.example");
        email.put("subject", "Invoice");
        email.put("delivery_time", "2026-12-03T07:00:00Z");
        // reversed bounds are ignored
        email.put("received_after", "2026-12-06T00:00:00Z");
        email.put("received_before", "2026-12-01T00:00:00Z");
        Map<String, String> target = Targets.of(alert(email)).orElseThrow();
        assertEquals("2026-12-03T06:00:00Z", target.get(QuarantineParams.RECEIVED_FROM));
        assertEquals("2026-12-04T07:00:00Z", target.get(QuarantineParams.RECEIVED_TO));
    }

    @Test
    void aMessageIdWinsOverEverythingElse() {
        Map<String, Object> email = new HashMap<>();
        email.put("sender", "bad@evil.example");
        email.put("subject", "Invoice");
        email.put("message_id", "<A.B@Evil.Example>");
        Map<String, String> target = Targets.of(alert(email)).orElseThrow();
        assertNull(target.get(QuarantineParams.SUBJECT));
        assertNull(target.get(QuarantineParams.RECEIVED_FROM));
        assertEquals("bad@evil.example", target.get(QuarantineParams.SENDER));
    }
}
