package org.sluice.connector.gmail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GmailFailureTest {

    private final Clock clock = Clock.fixed(Instant.parse("2025-10-19T16:12:00Z"), ZoneOffset.UTC);

    @Test
    void retryAfterReadsSecondsDecimalsHttpDatesAndTheTimeInGmailsMessage() {
        assertEquals(Duration.ofSeconds(30), GmailFailure.retryAfter("30", null, clock));
        assertEquals(Duration.ofMillis(1_500), GmailFailure.retryAfter("1.5", null, clock));
        assertEquals(Duration.ofSeconds(60), GmailFailure.retryAfter("Sun, 19 Oct 2025 16:13:00 GMT", null, clock));
        assertEquals(
                Duration.ofMillis(57_269),
                GmailFailure.retryAfter(
                        null, "User-rate limit exceeded.  Retry after 2025-10-19T16:12:57.269Z", clock));
    }

    @Test
    void theLongerWaitWinsAndInvalidValuesAreIgnored() {
        assertEquals(
                Duration.ofMillis(57_269),
                GmailFailure.retryAfter("10", "Retry after 2025-10-19T16:12:57.269Z.", clock));
        assertEquals(Duration.ofSeconds(90), GmailFailure.retryAfter("90", "Retry after 2025-10-19T16:12:57Z", clock));
        assertNull(GmailFailure.retryAfter("soon", "Retry after lunch", clock));
        assertNull(GmailFailure.retryAfter("Sun, 19 Oct 2025 16:00:00 GMT", null, clock), "a past date: the schedule");
        assertEquals(Duration.ofSeconds(5), GmailFailure.retryAfter("-3", "x Retry after 2025-10-19T16:12:05Z", clock));
    }

    @Test
    void statusesAndReasonsAreClassified() {
        assertEquals(
                GmailFailure.Kind.RATE_LIMITED,
                GmailFailure.classify(429, null, null, null).kind());
        assertEquals(
                GmailFailure.Kind.RATE_LIMITED,
                GmailFailure.classify(403, "rateLimitExceeded", null, null).kind());
        assertEquals(
                GmailFailure.Kind.RATE_LIMITED,
                GmailFailure.classify(403, "userRateLimitExceeded", null, null).kind());
        assertEquals(
                GmailFailure.Kind.DAILY_LIMIT,
                GmailFailure.classify(403, "dailyLimitExceeded", null, null).kind());
        assertEquals(
                GmailFailure.Kind.PERMANENT,
                GmailFailure.classify(403, "forbidden", null, null).kind());
        assertEquals(
                GmailFailure.Kind.PERMANENT,
                GmailFailure.classify(401, "authError", null, null).kind());
        assertEquals(
                GmailFailure.Kind.NOT_FOUND,
                GmailFailure.classify(404, "notFound", null, null).kind());
        assertEquals(
                GmailFailure.Kind.TRANSIENT,
                GmailFailure.classify(503, "backendError", null, null).kind());
        assertEquals(
                GmailFailure.Kind.TRANSIENT,
                GmailFailure.classify(500, null, null, null).kind());
    }
}
