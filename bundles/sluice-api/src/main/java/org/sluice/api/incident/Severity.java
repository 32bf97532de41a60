package org.sluice.api.incident;

import java.util.Locale;

/** How bad an incident is, in increasing order. */
public enum Severity {
    INFORMATIONAL,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The greater of two severities; used wherever a rule may raise but never lower a severity. */
    public Severity atLeast(Severity other) {
        return other != null && other.compareTo(this) > 0 ? other : this;
    }

    /** Parses a constant name, case-insensitively; {@code info} is accepted for {@link #INFORMATIONAL}. */
    public static Severity parse(String text) {
        if (text != null) {
            String normalized = text.trim().toUpperCase(Locale.ROOT);
            if (normalized.equals("INFO")) {
                return INFORMATIONAL;
            }
            for (Severity severity : values()) {
                if (severity.name().equals(normalized)) {
                    return severity;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown severity '" + text + "' (expected informational, low, medium, high or critical)");
    }
}
