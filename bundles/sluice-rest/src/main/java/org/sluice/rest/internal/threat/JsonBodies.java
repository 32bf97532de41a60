package org.sluice.rest.internal.threat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.sluice.api.error.ValidationException;

/**
 * Reads and parses event bodies defensively. A body is read in pieces and given up as soon as it passes {@link
 * #MAX_BYTES}, so a huge body, with or without a {@code Content-Length}, costs at most that much memory; nesting is
 * limited to {@link #MAX_DEPTH} levels before any tree is built, so a deeply nested body cannot exhaust the stack.
 */
final class JsonBodies {

    /** The largest event body accepted: 1 MiB. Larger bodies get 413 and are not read further. */
    static final int MAX_BYTES = 1 << 20;

    /** The deepest nesting of objects and arrays accepted. */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBodies() {}

    /**
     * Reads the whole body if it has at most {@link #MAX_BYTES}; empty when it has more (the rest stays unread).
     *
     * @throws ValidationException when the body cannot be read (the client went away mid-body)
     */
    static Optional<byte[]> read(InputStream body) {
        if (body == null) {
            return Optional.of(new byte[0]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = body.read(buffer)) != -1) {
                if (out.size() + n > MAX_BYTES) {
                    return Optional.empty();
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ValidationException(null, "the request body could not be read: " + e.getMessage());
        }
        return Optional.of(out.toByteArray());
    }

    /**
     * Parses a body that must hold exactly one JSON object.
     *
     * @throws ValidationException naming the problem and where it is (line and column)
     */
    static Map<String, Object> parseObject(byte[] body) {
        if (body.length == 0) {
            throw new ValidationException(null, "the body is empty; expected a JSON object");
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ValidationException(null, "the body holds no JSON value; expected a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ValidationException(null, "the body must be a JSON object, not " + describe(first));
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    throw new ValidationException(null, "the JSON object is not closed (the body ends early)");
                }
                if (token.isStructStart()) {
                    depth++;
                    if (depth > MAX_DEPTH) {
                        throw new ValidationException(
                                null, "the JSON is nested deeper than " + MAX_DEPTH + " levels" + at(parser));
                    }
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
            if (parser.nextToken() != null) {
                throw new ValidationException(null, "there is more after the JSON object" + at(parser));
            }
        } catch (JsonProcessingException e) {
            throw new ValidationException(null, "malformed JSON: " + e.getOriginalMessage() + at(e.getLocation()));
        } catch (IOException e) {
            throw new ValidationException(null, "the body could not be parsed: " + e.getMessage());
        }
        try {
            return MAPPER.readValue(body, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new ValidationException(null, "malformed JSON: " + e.getMessage());
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "'" + token.asString() + "'";
        };
    }

    private static String at(JsonParser parser) {
        return at(parser.getCurrentLocation());
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
