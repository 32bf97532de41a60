package org.sluice.rest.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.sluice.api.error.ValidationException;

/**
 * Times on the wire of both APIs: ISO-8601 in UTC with a {@code Z}, at second precision. In queries a date alone means
 * midnight UTC, and a date-time without an offset is UTC.
 */
public final class Times {

    private Times() {}

    public static String format(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses a query parameter; {@code null} or blank gives {@code null}. */
    public static Instant parse(String parameter, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.trim();
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException noOffset) {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw new ValidationException(
                    parameter,
                    "'" + value
                            + "' is not an ISO-8601 date (2026-01-31) or date-time with offset (2026-01-31T08:00:00Z)");
        }
    }
}
