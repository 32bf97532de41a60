package org.sluice.api.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CrashPointsTest {

    @Test
    void unarmedPointsReturnAtOnce() {
        assertFalse(CrashPoints.armed(), "the unit test JVM arms nothing");
        CrashPoints.reach("queue.after-claim");
    }

    @Test
    void specListsNamesWithOptionalOccurrence() {
        assertEquals(
                Map.of("queue.after-claim", 1, "quarantine.after-remove", 250),
                CrashPoints.parse(" queue.after-claim , quarantine.after-remove@250,"));
        assertTrue(CrashPoints.parse("").isEmpty());
    }

    @Test
    void malformedSpecNamesTheEntry() {
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> CrashPoints.parse("a@x"));
        assertTrue(wrong.getMessage().contains("'a@x'"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrashPoints.parse("a@0"));
        assertThrows(IllegalArgumentException.class, () -> CrashPoints.parse("@3"));
    }
}
