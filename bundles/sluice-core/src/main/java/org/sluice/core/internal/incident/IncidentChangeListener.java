package org.sluice.core.internal.incident;

/**
 * Told by the incident engine, after the change was committed, about changes the SOC may want to hear of. Called on
 * the thread that made the change: implementations must return quickly and never throw.
 */
public interface IncidentChangeListener {

    /** What changed. */
    enum Kind {
        NEW_INCIDENT,
        NEW_ALERT,
        STATE_CHANGE
    }

    /**
     * One committed change.
     *
     * @param detail a short description ({@code new -> closed}), or {@code null}
     */
    record Change(Kind kind, long incidentId, String detail) {}

    void changed(Change change);
}
