package org.sluice.api.clear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sluice.api.incident.Severity;

class DispositionTest {

    @Test
    void severityFollowsTheSpecifiedMapping() {
        assertEquals(Optional.of(Severity.CRITICAL), Disposition.MALICIOUS.severity());
        assertEquals(Optional.of(Severity.HIGH), Disposition.SUSPICIOUS.severity());
        assertEquals(Optional.of(Severity.LOW), Disposition.BULK.severity());
        assertEquals(Optional.of(Severity.LOW), Disposition.LOW_RISK.severity());
        assertEquals(Optional.empty(), Disposition.UNKNOWN.severity());
    }

    @Test
    void parsesRuleFileAndWireSpellings() {
        assertEquals(Disposition.LOW_RISK, Disposition.parse("low-risk"));
        assertEquals(Disposition.LOW_RISK, Disposition.parse("Low Risk"));
        assertEquals(Disposition.LOW_RISK, Disposition.parse(" LOW_RISK "));
        assertEquals("Low Risk", Disposition.LOW_RISK.wireName());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Disposition.parse("evil"));
        assertTrue(error.getMessage().contains("'evil'"));
    }

    @Test
    void maliciousOutranksEverythingAndUnknownNothing() {
        assertTrue(Disposition.MALICIOUS.outranks(Disposition.SUSPICIOUS));
        assertTrue(Disposition.BULK.outranks(Disposition.LOW_RISK));
        assertFalse(Disposition.UNKNOWN.outranks(Disposition.LOW_RISK));
    }
}
