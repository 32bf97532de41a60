package org.sluice.connector.graph;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} value: delay seconds (Graph sends whole seconds; decimals are accepted) or an
 * HTTP-date (RFC 9110 section 10.2.3). Anything else, and negative or absurd values, count as absent, so the caller
 * falls back to its own schedule.
 */
final class RetryAfter {

    /** Longer waits than this are treated as a malformed header. */
    static final Duration MAX = Duration.ofDays(1);

    private RetryAfter() {}

    static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        if (text.matches("\\d{1,9}(\\.\\d{1,9})?")) {
            long millis = new BigDecimal(text)
                    .movePointRight(3)
                    .setScale(0, RoundingMode.CEILING)
                    .longValueExact();
            return bounded(Duration.ofMillis(millis));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(now, at);
            return bounded(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> bounded(Duration wait) {
        return wait.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(wait);
    }
}
