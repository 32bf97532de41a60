package org.sluice.connector.graph;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Builds OData {@code $filter} expressions from values an attacker may have chosen (Message-IDs, subjects, addresses).
 * A string becomes a single-quoted literal with every quote doubled, as OData 4.01 section 5.1.1.6.1 prescribes, so no
 * value can close the literal and add an operator. The URL encoding of the whole expression is left to the SDK's URI
 * template, which percent-encodes {@code &}, {@code #}, {@code +} and the rest.
 */
final class ODataFilter {

    private ODataFilter() {}

    /** The value as an OData string literal. Control characters are refused: no header value legitimately has one. */
    static String literal(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(
                        "a search value holds the control character U+" + String.format("%04X", (int) c));
            }
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** An OData DateTimeOffset literal in UTC, to the second (Graph ignores finer parts). */
    static String instant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
