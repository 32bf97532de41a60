package org.sluice.rest.internal;

import java.util.Map;
import org.sluice.api.error.ValidationException;

/** Reading fields of JSON request bodies, with errors that name the field; every text follows {@link FreeText}. */
final class Bodies {

    private Bodies() {}

    static Map<String, Object> orEmpty(Map<String, Object> body) {
        return body == null ? Map.of() : body;
    }

    static String requiredText(Map<String, Object> body, String field) {
        return requiredText(body, field, Integer.MAX_VALUE);
    }

    /** A non-empty string following the {@link FreeText} rules, at most {@code maxLength} characters. */
    static String requiredText(Map<String, Object> body, String field, int maxLength) {
        Object value = orEmpty(body).get(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new ValidationException(field, "is required and must be a non-empty string");
        }
        return FreeText.check(field, text, maxLength);
    }

    static String optionalText(Map<String, Object> body, String field) {
        return optionalText(body, field, Integer.MAX_VALUE);
    }

    /** A string following the {@link FreeText} rules, at most {@code maxLength} characters, or null when absent. */
    static String optionalText(Map<String, Object> body, String field, int maxLength) {
        Object value = orEmpty(body).get(field);
        if (value != null && !(value instanceof String)) {
            throw new ValidationException(field, "must be a string");
        }
        return FreeText.check(field, (String) value, maxLength);
    }
}
