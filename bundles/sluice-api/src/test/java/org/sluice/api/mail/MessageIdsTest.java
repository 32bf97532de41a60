package org.sluice.api.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void bracketsFoldingAndDomainCaseAreNormalised() {
        assertEquals(Optional.of("AbC.123@mail.example.org"), MessageIds.normalize("<AbC.123@Mail.Example.ORG>"));
        assertEquals(
                Optional.of("AbC.123@mail.example.org"), MessageIds.normalize("  <AbC.123@\r\n MAIL.example.org> "));
        assertEquals(Optional.of("AbC.123@mail.example.org"), MessageIds.normalize("AbC.123@mail.example.org"));
    }

    @Test
    void localPartKeepsItsCase() {
        assertTrue(!MessageIds.normalize("<abc@x.org>").equals(MessageIds.normalize("<ABC@x.org>")));
    }

    @Test
    void commentsAreDroppedAndNeedlessQuotesRemoved() {
        assertEquals(
                Optional.of("id-1@example.org"),
                MessageIds.normalize("(sent by (nested) gateway) <id-1@example.org> (trailing)"));
        assertEquals(Optional.of("id.1@example.org"), MessageIds.normalize("<\"id.1\"@example.org>"));
        assertEquals(Optional.of("\"id,1\"@example.org"), MessageIds.normalize("<\"id,1\"@example.org>"));
    }

    @Test
    void unusableIdsAreEmpty() {
        assertEquals(Optional.empty(), MessageIds.normalize(null));
        assertEquals(Optional.empty(), MessageIds.normalize("   "));
        assertEquals(Optional.empty(), MessageIds.normalize("<no-at-sign>"));
        assertEquals(Optional.empty(), MessageIds.normalize("<@example.org>"));
        assertEquals(Optional.empty(), MessageIds.normalize("<id@>"));
        assertEquals(Optional.empty(), MessageIds.normalize("<" + "a".repeat(1_000) + "@example.org>"));
        assertEquals(Optional.empty(), MessageIds.normalize("<id\u0000x@example.org>"));
    }

    @Test
    void addressLiteralDomainIsKeptAsIs() {
        assertEquals(Optional.of("x@[192.0.2.1]"), MessageIds.normalize("<x@[192.0.2.1]>"));
    }
}
