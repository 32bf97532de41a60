package org.sluice.mail.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient parser of RFC 5322 dates as mail really carries them: optional day name, one- or two-digit day, two- or
 * four-digit year (RFC 5322 section 4.3 rules for two digits), optional seconds, numeric zones or the obsolete
 * names ({@code GMT}, {@code EST}, ...), comments such as {@code (PDT)} ignored. A missing zone is taken as UTC.
 * Values out of range (hour 27, 31 February) are rejected rather than rolled over, so they can be flagged.
 */
final class MailDates {

    private static final Pattern DATE =
            Pattern.compile("^\\s*(?:[A-Za-z]{3,9}\\s*,?\\s*)?(\\d{1,2})[\\s-]+([A-Za-z]{3,9})\\.?[\\s-]+(\\d{2,4})\\s+"
                    + "(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}))?(?:\\.\\d+)?\\s*([+-]\\d{2}:?\\d{2}|[A-Za-z]{1,5})?");

    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("jan", 1),
            Map.entry("feb", 2),
            Map.entry("mar", 3),
            Map.entry("apr", 4),
            Map.entry("may", 5),
            Map.entry("jun", 6),
            Map.entry("jul", 7),
            Map.entry("aug", 8),
            Map.entry("sep", 9),
            Map.entry("oct", 10),
            Map.entry("nov", 11),
            Map.entry("dec", 12));

    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("ut", 0),
            Map.entry("utc", 0),
            Map.entry("gmt", 0),
            Map.entry("z", 0),
            Map.entry("est", -5 * 60),
            Map.entry("edt", -4 * 60),
            Map.entry("cst", -6 * 60),
            Map.entry("cdt", -5 * 60),
            Map.entry("mst", -7 * 60),
            Map.entry("mdt", -6 * 60),
            Map.entry("pst", -8 * 60),
            Map.entry("pdt", -7 * 60),
            Map.entry("cet", 60),
            Map.entry("cest", 120));

    private MailDates() {}

    /** The instant the text names, or null when it is not a date this parser accepts. */
    static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DATE.matcher(text);
        if (!m.find()) {
            return null;
        }
        Integer month = MONTHS.get(m.group(2).substring(0, 3).toLowerCase(Locale.ROOT));
        if (month == null) {
            return null;
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (m.group(3).length() == 3) {
            year += 1900;
        }
        int offsetMinutes = 0;
        String zone = m.group(7);
        if (zone != null) {
            if (zone.startsWith("+") || zone.startsWith("-")) {
                String digits = zone.substring(1).replace(":", "");
                int hours = Integer.parseInt(digits.substring(0, 2));
                int minutes = Integer.parseInt(digits.substring(2, 4));
                if (hours > 23 || minutes > 59) {
                    return null;
                }
                offsetMinutes = (zone.charAt(0) == '-' ? -1 : 1) * (hours * 60 + minutes);
            } else {
                offsetMinutes = ZONES.getOrDefault(zone.toLowerCase(Locale.ROOT), 0);
            }
        }
        try {
            LocalDateTime local = LocalDateTime.of(
                    year,
                    month,
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            return local.toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
