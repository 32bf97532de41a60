package org.sluice.rest.internal;

import java.util.Map;
import org.sluice.api.error.ValidationException;

/** Reading fields of JSON request bodies, with errors that name the field. */
final class Bodies {

    private Bodies() {}

    static Map<String, Object> orEmpty(Map<String, Object> body) {
        return body == null ? Map.of() : body;
    }

    static String requiredText(Map<String, Object> body, String field) {
        Object value = orEmpty(body).get(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new ValidationException(field, "is required and must be a non-empty string");
        }
        return text;
    }

    static String optionalText(Map<String, Object> body, String field) {
        Object value = orEmpty(body).get(field);
        if (value != null && !(value instanceof String)) {
            throw new ValidationException(field, "must be a string");
        }
        return (String) value;
    }
}
