package org.sluice.connector.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void readsWholeAndDecimalSeconds() {
        assertEquals(Duration.ofSeconds(41), RetryAfter.parse("41", NOW).orElseThrow());
        assertEquals(Duration.ofMillis(1501), RetryAfter.parse(" 1.5003 ", NOW).orElseThrow());
        assertEquals(Duration.ZERO, RetryAfter.parse("0", NOW).orElseThrow());
    }

    @Test
    void readsAnHttpDateRelativeToNow() {
        assertEquals(
                Duration.ofSeconds(90),
                RetryAfter.parse("Fri, 04 Dec 2026 10:01:30 GMT", NOW).orElseThrow());
        assertEquals(
                Duration.ZERO,
                RetryAfter.parse("Fri, 04 Dec 2026 09:59:00 GMT", NOW).orElseThrow());
    }

    @Test
    void treatsGarbageNegativeAndAbsurdValuesAsAbsent() {
        assertTrue(RetryAfter.parse("-5", NOW).isEmpty());
        assertTrue(RetryAfter.parse("soon", NOW).isEmpty());
        assertTrue(RetryAfter.parse("", NOW).isEmpty());
        assertTrue(RetryAfter.parse(null, NOW).isEmpty());
        assertTrue(RetryAfter.parse("999999999", NOW).isEmpty());
    }
}
