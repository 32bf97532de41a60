package org.sluice.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.api.error.ValidationException;

/** Free text in request bodies: control characters and over-long comments are refused, naming the field. */
class FreeTextTest {

    @Test
    void tabsAndLineBreaksPassOtherControlCharactersAreRefusedNamingTheField() {
        String fine = "line one\r\n\tline two\nüñí 🐟";
        assertEquals(fine, Bodies.requiredText(Map.of("comment", fine), "comment"));
        for (char c : new char[] {0, 1, 7, 8, 0x0b, 0x0c, 0x1b, 0x1f}) {
            ValidationException error = assertThrows(
                    ValidationException.class, () -> Bodies.requiredText(Map.of("comment", "a" + c + "b"), "comment"));
            assertEquals("comment", error.field());
            assertTrue(
                    error.getMessage().contains(String.format("U+%04X at character 2", (int) c)), error.getMessage());
        }
        ValidationException detail = assertThrows(
                ValidationException.class, () -> Bodies.optionalText(Map.of("detail", "x\u0000"), "detail"));
        assertEquals("detail", detail.field());
        assertNull(Bodies.optionalText(Map.of(), "detail"));
    }

    @Test
    void commentsAreCappedAt64KiB() {
        String longest = "x".repeat(FreeText.MAX_COMMENT);
        assertEquals(longest, Bodies.requiredText(Map.of("comment", longest), "comment", FreeText.MAX_COMMENT));
        ValidationException error = assertThrows(
                ValidationException.class,
                () -> Bodies.requiredText(Map.of("comment", longest + "x"), "comment", FreeText.MAX_COMMENT));
        assertEquals("comment", error.field());
        assertTrue(error.getMessage().contains("at most 65536 characters"), error.getMessage());
    }
}
