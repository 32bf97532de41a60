package org.sluice.api.response;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the waits that providers ask for, for {@link ResponseOutcome#retryAfter()}: an HTTP {@code Retry-After} header
 * in seconds (whole or with decimals) or as an HTTP date, and a "Retry after &lt;ISO time&gt;" text in an error body
 * (Gmail's rate-limit messages). Anything unreadable, negative or already past gives {@code null}, so the back-off
 * schedule applies; waits longer than {@link #MAX} are cut to it, so that a wrong value cannot park work for days.
 */
public final class RetryAfter {

    /** The longest wait honoured. */
    public static final Duration MAX = Duration.ofHours(24);

    private static final Pattern SECONDS = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
    private static final Pattern IN_TEXT = Pattern.compile("(?i)retry after\\s+(\\S+?)[.,;)]?(\\s|$)");

    private RetryAfter() {}

    /** The wait a {@code Retry-After} header asks for, counted from {@code now}, or {@code null}. */
    public static Duration header(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (SECONDS.matcher(text).matches()) {
            BigDecimal seconds = new BigDecimal(text);
            if (seconds.compareTo(BigDecimal.valueOf(MAX.toSeconds())) > 0) {
                return MAX;
            }
            Duration wait = Duration.ofNanos(seconds.movePointRight(9).longValue());
            return wait.isZero() ? null : wait;
        }
        try {
            return until(
                    ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant(),
                    now);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The wait a "Retry after &lt;ISO-8601 time&gt;" text in an error message asks for (the longest, when the text
     * names several times), or {@code null}.
     */
    public static Duration text(String message, Instant now) {
        if (message == null) {
            return null;
        }
        Duration longest = null;
        Matcher m = IN_TEXT.matcher(message);
        while (m.find()) {
            try {
                longest = longer(longest, until(OffsetDateTime.parse(m.group(1)).toInstant(), now));
            } catch (DateTimeParseException e) {
                // Not a time ("Retry after lunch"): this mention asks for nothing.
            }
        }
        return longest;
    }

    /**
     * The longer of what a {@code Retry-After} header and an error text ask for, or {@code null} when neither asks
     * for a valid wait: a provider that says both is honoured in full.
     */
    public static Duration longest(String header, String message, Instant now) {
        return longer(header(header, now), text(message, now));
    }

    private static Duration longer(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration until(Instant at, Instant now) {
        Duration wait = Duration.between(now, at);
        if (wait.isNegative() || wait.isZero()) {
            return null;
        }
        return wait.compareTo(MAX) > 0 ? MAX : wait;
    }
}
