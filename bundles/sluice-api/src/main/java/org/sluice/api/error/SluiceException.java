package org.sluice.api.error;

/**
 * Base of the domain exceptions. Each carries a stable, machine-readable {@link #code()} that the REST API returns
 * unchanged and that clients may branch on; the message is for people and names what is wrong and where.
 */
public abstract class SluiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    protected SluiceException(String code, String message) {
        super(message);
        this.code = code;
    }

    protected SluiceException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A stable code such as {@code not_found} or {@code invalid_field}. */
    public String code() {
        return code;
    }
}
