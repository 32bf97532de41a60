package org.sluice.api.clear;

import java.util.Locale;
import java.util.Optional;
import org.sluice.api.incident.Severity;

/**
 * What a reported message is judged to be. The order is precedence: when rules disagree, the earlier constant wins.
 * {@link #severity()} is the incident severity each disposition asks for (C4); {@link #UNKNOWN} asks for none.
 */
public enum Disposition {
    MALICIOUS("Malicious", Severity.CRITICAL),
    SUSPICIOUS("Suspicious", Severity.HIGH),
    BULK("Bulk", Severity.LOW),
    LOW_RISK("Low Risk", Severity.LOW),
    UNKNOWN("Unknown", null);

    private final String wireName;
    private final Severity severity;

    Disposition(String wireName, Severity severity) {
        this.wireName = wireName;
        this.severity = severity;
    }

    /** The value of the {@code Abuse Disposition} field in the compatible API ({@code Low Risk}). */
    public String wireName() {
        return wireName;
    }

    /** The severity an incident is raised to (never lowered), or empty for {@link #UNKNOWN}. */
    public Optional<Severity> severity() {
        return Optional.ofNullable(severity);
    }

    /** Whether this disposition wins over {@code other} when both are given to one message. */
    public boolean outranks(Disposition other) {
        return compareTo(other) < 0;
    }

    /**
     * Parses a disposition as rule files and APIs write it: the constant name or the wire name, case-insensitively,
     * with {@code -}, {@code _} and spaces alike ({@code low-risk}, {@code Low Risk}, {@code LOW_RISK}).
     */
    public static Disposition parse(String text) {
        if (text != null) {
            String normalized =
                    text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
            for (Disposition disposition : values()) {
                if (disposition.name().equals(normalized)) {
                    return disposition;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown disposition '" + text + "' (expected malicious, suspicious, bulk, low-risk or unknown)");
    }
}
