package org.sluice.api.incident;

import java.util.Locale;

/** Where an incident is in its life. Only {@link #CLOSED} and {@link #IGNORED} are final. */
public enum IncidentState {
    NEW,
    OPEN,
    ASSIGNED,
    CLOSED,
    IGNORED;

    /** Whether new alerts with the incident's link key still join it. */
    public boolean isOpen() {
        return this != CLOSED && this != IGNORED;
    }

    public static IncidentState parse(String text) {
        if (text != null) {
            String normalized = text.trim().toUpperCase(Locale.ROOT);
            for (IncidentState state : values()) {
                if (state.name().equals(normalized)) {
                    return state;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown incident state '" + text + "' (expected new, open, assigned, closed or ignored)");
    }
}
