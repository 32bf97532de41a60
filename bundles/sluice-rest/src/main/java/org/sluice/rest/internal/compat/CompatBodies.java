package org.sluice.rest.internal.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sluice.api.error.ValidationException;
import org.sluice.rest.internal.FreeText;

/** Reading the compatible API's request bodies, with errors that name the field. */
final class CompatBodies {

    private CompatBodies() {}

    static Map<String, Object> orEmpty(Map<String, Object> body) {
        return body == null ? Map.of() : body;
    }

    static String text(Map<String, Object> body, String field, boolean required) {
        return text(body, field, required, Integer.MAX_VALUE);
    }

    /** A string following the {@link FreeText} rules, at most {@code maxLength} characters. */
    static String text(Map<String, Object> body, String field, boolean required, int maxLength) {
        Object value = orEmpty(body).get(field);
        if (value == null) {
            if (required) {
                throw new ValidationException(field, "is required");
            }
            return null;
        }
        if (!(value instanceof String text)) {
            throw new ValidationException(field, "must be a string");
        }
        if (required && text.isBlank()) {
            throw new ValidationException(field, "must not be empty");
        }
        return FreeText.check(field, text, maxLength);
    }

    /** A list of user names; absent means none. */
    static List<String> names(Map<String, Object> body, String field) {
        Object value = orEmpty(body).get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ValidationException(field, "must be a list of user names");
        }
        List<String> names = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String name) || name.isBlank()) {
                throw new ValidationException(field, "every item must be a non-empty user name");
            }
            names.add(FreeText.check(field, name.strip()));
        }
        return names;
    }
}
