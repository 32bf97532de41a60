package org.sluice.api.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NewAlertTest {

    @Test
    void nulInTextFieldsBecomesTheReplacementCharacter() {
        NewAlert alert = new NewAlert(
                "json",
                "soar",
                "ext\u0000id",
                "attacker_ip_address:\u0000",
                Severity.LOW,
                "a\u0000b",
                "c\u0000",
                null,
                Map.of());

        assertEquals("a\uFFFDb", alert.summary());
        assertEquals("c\uFFFD", alert.description());
        assertEquals("attacker_ip_address:\uFFFD", alert.linkKey());
        assertEquals("ext\uFFFDid", alert.externalId());
    }

    @Test
    void absentTextStaysAbsent() {
        NewAlert alert = new NewAlert("json", null, null, null, Severity.LOW, null, null, null, null);

        assertEquals("", alert.summary());
        assertNull(alert.description());
        assertNull(alert.linkKey());
    }
}
