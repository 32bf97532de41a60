package org.sluice.shell.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How the commands print values: UTC times with a Z, lower-case enum names, empty for missing values. */
final class Formats {

    private Formats() {}

    static String time(Instant instant) {
        return instant == null ? "" : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String name(Enum<?> value) {
        return value == null ? "" : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String text(String value) {
        return value == null ? "" : value.replaceAll("\\p{Cntrl}", " ");
    }

    static String shorten(String value, int max) {
        String clean = text(value);
        return clean.length() <= max ? clean : clean.substring(0, max - 1) + "~";
    }
}
