package org.sluice.api.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void secondsWholeAndWithDecimals() {
        assertEquals(Duration.ofSeconds(120), RetryAfter.header("120", NOW));
        assertEquals(Duration.ofMillis(1_500), RetryAfter.header(" 1.5 ", NOW));
        assertEquals(RetryAfter.MAX, RetryAfter.header("999999999", NOW));
    }

    @Test
    void httpDate() {
        assertEquals(Duration.ofSeconds(90), RetryAfter.header("Fri, 04 Dec 2026 10:01:30 GMT", NOW));
        assertNull(RetryAfter.header("Fri, 04 Dec 2026 09:59:00 GMT", NOW), "a date in the past");
    }

    @Test
    void invalidValuesFallBackToTheSchedule() {
        assertNull(RetryAfter.header("-5", NOW));
        assertNull(RetryAfter.header("0", NOW));
        assertNull(RetryAfter.header("soon", NOW));
        assertNull(RetryAfter.header("1e3", NOW));
        assertNull(RetryAfter.header(null, NOW));
        assertNull(RetryAfter.text("Rate limit exceeded", NOW));
        assertNull(RetryAfter.text("Retry after tomorrow", NOW));
    }

    @Test
    void textInAnErrorBody() {
        assertEquals(
                Duration.ofMillis(44_127),
                RetryAfter.text("User-rate limit exceeded.  Retry after 2026-12-04T10:00:44.127Z", NOW));
        assertEquals(Duration.ofSeconds(60), RetryAfter.text("Quota exceeded. Retry after 2026-12-04T10:01:00Z.", NOW));
        assertEquals(RetryAfter.MAX, RetryAfter.text("retry after 2027-01-04T10:00:00Z", NOW));
        assertEquals(Duration.ofSeconds(30), RetryAfter.text("Retry after 2026-12-04T11:00:30+01:00", NOW));
    }

    @Test
    void theLongestOfHeaderAndEveryTimeInTheTextWins() {
        assertEquals(
                Duration.ofSeconds(90),
                RetryAfter.longest("10", "Retry after 2026-12-04T10:00:30Z; retry after 2026-12-04T10:01:30Z", NOW));
        assertEquals(Duration.ofSeconds(90), RetryAfter.longest("90", "Retry after 2026-12-04T10:00:57Z", NOW));
        assertEquals(Duration.ofSeconds(5), RetryAfter.longest("-3", "x Retry after 2026-12-04T10:00:05Z", NOW));
        assertNull(RetryAfter.longest("soon", "Retry after lunch", NOW));
        assertNull(RetryAfter.longest(null, null, NOW));
    }
}
