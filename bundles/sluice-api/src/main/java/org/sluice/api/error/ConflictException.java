package org.sluice.api.error;

/** The request contradicts the current state (closing a closed incident, a duplicate name). */
public class ConflictException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super("conflict", message);
    }
}
