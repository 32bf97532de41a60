package org.sluice.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Bulk(List<Long> incident_ids, String template) {}

    private static String describe(String body, Class<?> type) {
        JsonProcessingException failure = assertThrows(JsonProcessingException.class, () -> JSON.readValue(body, type));
        return JsonErrors.describe(failure);
    }

    @Test
    void anArrayWhereAnObjectBelongsIsNamedWithoutJavaTypes() {
        String message = describe("[1,2]", Map.class);
        assertEquals("the request body must be a JSON object", message);
    }

    @Test
    void aWrongFieldIsNamedByItsPath() {
        String message = describe("{\"incident_ids\":[1,{\"a\":2}],\"template\":\"x\"}", Bulk.class);
        assertEquals("incident_ids[1] must be a number", message);
    }

    @Test
    void brokenJsonGetsLineAndColumnButNoParserInternals() {
        String message = describe("{\n  \"name\": \"x\",\n  \"role\": \"analyst\"", Map.class);
        assertTrue(message.startsWith("the request body is not valid JSON: "), message);
        assertTrue(message.contains("(line 3, column"), message);
        assertFalse(message.contains("Source"), message);
        assertFalse(message.contains("StreamReadFeature"), message);
        assertFalse(message.contains("java."), message);
    }

    @Test
    void typesReadAsTheirJsonKinds() throws Exception {
        JsonProcessingException failure = assertThrows(
                JsonProcessingException.class,
                () -> JSON.readValue("{\"a\":\"x\"}", new TypeReference<Map<String, Integer>>() {}));
        assertEquals("a must be a number", JsonErrors.describe(failure));
        assertEquals("true or false", JsonErrors.kind(boolean.class));
        assertEquals("a string", JsonErrors.kind(String.class));
        assertEquals("a JSON array", JsonErrors.kind(long[].class));
    }

    @Test
    void limitsAreNamedWithoutTheJacksonSettingBehindThem() {
        String message = JsonErrors.describe(new com.fasterxml.jackson.core.JsonParseException(
                null,
                "Document nesting depth (1001) exceeds the maximum allowed (1000, from"
                        + " `StreamReadConstraints.getMaxNestingDepth()`)"));
        assertTrue(message.contains("nesting depth"), message);
        assertFalse(message.contains("`") || message.contains("StreamReadConstraints"), message);
    }
}
