package org.sluice.core.internal.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** JSON text columns: maps to and from text, with one shared, thread-safe mapper. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<java.util.List<Object>> LIST = new TypeReference<>() {};

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Map<String, Object> readObject(String text) {
        return read(text, OBJECT);
    }

    public static Map<String, String> readStrings(String text) {
        return read(text, STRINGS);
    }

    /** A JSON array; empty for no text. */
    public static java.util.List<Object> readList(String text) {
        java.util.List<Object> list = read(text, LIST);
        return list == null ? java.util.List.of() : list;
    }

    private static <T> T read(String text, TypeReference<T> type) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
