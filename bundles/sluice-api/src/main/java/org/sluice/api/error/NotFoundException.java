package org.sluice.api.error;

/** The thing named does not exist (or is not visible to the caller). */
public class NotFoundException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String what, Object id) {
        super("not_found", what + " '" + id + "' does not exist");
    }
}
