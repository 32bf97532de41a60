package org.sluice.rest.internal.compat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.sluice.api.error.ValidationException;

/** Times in query parameters: ISO-8601, UTC when no offset is given; a date alone means midnight UTC. */
final class WireTimes {

    private WireTimes() {}

    static Instant parse(String parameter, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
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
                    "'" + value + "' is not an ISO-8601 date or date-time, such as"
                            + " 2026-01-31 or 2026-01-31T08:00:00Z");
        }
    }
}
