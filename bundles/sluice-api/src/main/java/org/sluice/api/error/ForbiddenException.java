package org.sluice.api.error;

/** The caller is known but its role does not allow this operation. */
public class ForbiddenException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super("forbidden", message);
    }
}
