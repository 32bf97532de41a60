package org.sluice.rest.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a JSON request body in the client's terms: where (line and column, or the field's path) and
 * what was expected, without Java type names or parser internals.
 */
public final class JsonErrors {

    /** Jackson's "(start marker at [Source: ...])" and "at [Source: ...]" tails; the location is given separately. */
    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?(start marker )?at \\[Source:.*", Pattern.DOTALL);

    /** Where Jackson says a limit comes from: ", from `StreamReadConstraints.getMaxNestingDepth()`". */
    private static final Pattern LIMIT_SOURCE = Pattern.compile(",?\\s*from\\s+`[^`]*`");

    /** Anything else Jackson quotes in backticks: Java type and method names. */
    private static final Pattern JAVA_TYPE = Pattern.compile("`[^`]*`");

    private JsonErrors() {}

    /** A message for a body that could not be read as the JSON the endpoint takes. */
    public static String describe(JsonProcessingException failure) {
        if (failure instanceof MismatchedInputException mismatch) {
            String where = path(mismatch);
            return (where.isEmpty() ? "the request body" : where) + " must be " + kind(mismatch.getTargetType());
        }
        String reason = SOURCE.matcher(String.valueOf(failure.getOriginalMessage()))
                .replaceAll("")
                .strip();
        reason = LIMIT_SOURCE.matcher(reason).replaceAll("");
        reason = JAVA_TYPE.matcher(reason).replaceAll("a value");
        JsonLocation location = failure.getLocation();
        String at = location == null || location.getLineNr() < 1
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return "the request body is not valid JSON: " + reason + at;
    }

    /** The field path of a mapping failure, such as {@code incident_ids[2]}; empty for the body itself. */
    static String path(JsonMappingException failure) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : failure.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The JSON kind of value that a Java type is read from. */
    static String kind(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        return "a JSON object";
    }
}
