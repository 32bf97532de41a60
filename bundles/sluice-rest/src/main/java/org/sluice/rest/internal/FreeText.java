package org.sluice.rest.internal;

import org.sluice.api.error.ValidationException;

/**
 * The rules every free-text field of both APIs follows: no C0 control characters other than tab, line feed and
 * carriage return (PostgreSQL refuses NUL in text, and the others have no business in a comment or a name), and a
 * length limit where one is given.
 */
public final class FreeText {

    /** The most characters a comment (or its detail, or a closing summary) may have: 64 KiB. */
    public static final int MAX_COMMENT = 64 * 1024;

    private FreeText() {}

    /**
     * Returns {@code value} when it follows the rules.
     *
     * @throws ValidationException naming {@code field} (never repeating the value, which may be a password)
     */
    public static String check(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new ValidationException(
                    field, "must be at most " + maxLength + " characters long (it has " + value.length() + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                throw new ValidationException(
                        field,
                        String.format(
                                "must not contain control characters other than tab, line feed and carriage return"
                                        + " (U+%04X at character %d)",
                                (int) c, i + 1));
            }
        }
        return value;
    }

    /** {@link #check(String, String, int)} without a length limit (the request body's size limit applies). */
    public static String check(String field, String value) {
        return check(field, value, Integer.MAX_VALUE);
    }
}
