package org.sluice.rest.internal.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.api.error.ValidationException;
import org.sluice.rest.internal.FreeText;

/** The compatible API's text fields follow the same rules as the own API's. */
class CompatBodiesTest {

    @Test
    void controlCharactersAndOverLongCommentsAreRefusedNamingTheField() {
        assertEquals("ok\r\n\tok", CompatBodies.text(Map.of("summary", "ok\r\n\tok"), "summary", true));
        ValidationException nul = assertThrows(
                ValidationException.class, () -> CompatBodies.text(Map.of("summary", "a\u0000"), "summary", true));
        assertEquals("summary", nul.field());
        ValidationException escape = assertThrows(
                ValidationException.class, () -> CompatBodies.text(Map.of("detail", "\u001b[31m"), "detail", false));
        assertEquals("detail", escape.field());
        ValidationException tooLong = assertThrows(
                ValidationException.class,
                () -> CompatBodies.text(
                        Map.of("summary", "x".repeat(FreeText.MAX_COMMENT + 1)),
                        "summary",
                        true,
                        FreeText.MAX_COMMENT));
        assertEquals("summary", tooLong.field());
        ValidationException name = assertThrows(
                ValidationException.class, () -> CompatBodies.names(Map.of("users", List.of("bob\u0007")), "users"));
        assertEquals("users", name.field());
    }
}
