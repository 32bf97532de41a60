package org.sluice.api.error;

/** Input was malformed. {@link #field()} names the offending field or parameter when there is one. */
public class ValidationException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public ValidationException(String field, String message) {
        super("invalid_input", field == null ? message : field + ": " + message);
        this.field = field;
    }

    /** The field or parameter at fault, or {@code null} when the input as a whole is wrong. */
    public String field() {
        return field;
    }
}
