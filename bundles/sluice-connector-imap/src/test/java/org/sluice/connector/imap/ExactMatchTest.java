package org.sluice.connector.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sluice.api.mailbox.CopyQuery;

class ExactMatchTest {

    private static CopyQuery byId(String id) {
        return new CopyQuery(id, null, null, null, null, 10);
    }

    @Test
    void messageIdMustMatchExactlyAfterNormalising() {
        assertTrue(ExactMatch.matches(byId("abc@x.example"), new String[] {"<abc@X.Example>"}, null, null, null));
        assertFalse(ExactMatch.matches(byId("abc@x.example"), new String[] {"<xabc@x.example>"}, null, null, null));
        assertFalse(ExactMatch.matches(byId("abc@x.example"), new String[] {"<abc@x.example.evil>"}, null, null, null));
        assertFalse(ExactMatch.matches(byId("ABC@x.example"), new String[] {"<abc@x.example>"}, null, null, null));
        assertFalse(ExactMatch.matches(byId("abc@x.example"), null, null, null, null));
    }

    @Test
    void aMessageWithTwoMessageIdsIsNotTouched() {
        assertFalse(ExactMatch.matches(
                byId("abc@x.example"), new String[] {"<abc@x.example>", "<other@x.example>"}, null, null, null));
    }

    @Test
    void craftedIdsMatchOnlyThemselves() {
        String crafted = "\"a\\\" OR ALL\"*%@x.example";
        assertFalse(ExactMatch.matches(byId(crafted), new String[] {"<innocent@x.example>"}, null, null, null));
        assertFalse(ExactMatch.matches(byId("*@x.example"), new String[] {"<abc@x.example>"}, null, null, null));
    }

    @Test
    void senderSubjectAndWindow() {
        Instant from = Instant.parse("2026-03-01T09:00:00Z");
        Instant to = Instant.parse("2026-03-02T10:00:00Z");
        CopyQuery q = new CopyQuery(null, "bad@evil.example", "Invoice 42", from, to, 10);
        Instant in = Instant.parse("2026-03-01T10:00:00Z");

        assertTrue(ExactMatch.matches(q, null, new String[] {"Bad@Evil.example"}, "Invoice 42", in));
        assertFalse(ExactMatch.matches(q, null, new String[] {"bad@evil.example"}, "Invoice 42 (2)", in));
        assertFalse(ExactMatch.matches(q, null, new String[] {"bad@evil.example"}, "invoice 42", in));
        assertFalse(ExactMatch.matches(q, null, new String[] {"xbad@evil.example"}, "Invoice 42", in));
        assertFalse(ExactMatch.matches(
                q, null, new String[] {"bad@evil.example"}, "Invoice 42", Instant.parse("2026-03-02T10:00:01Z")));
        assertFalse(ExactMatch.matches(q, null, null, "Invoice 42", in));
    }

    @Test
    void providerIds() {
        assertArrayEquals(new long[] {7, 42}, ExactMatch.parseProviderId(ExactMatch.providerId(7, 42)));
        assertThrows(IllegalArgumentException.class, () -> ExactMatch.parseProviderId("7"));
        assertThrows(IllegalArgumentException.class, () -> ExactMatch.parseProviderId("a:b"));
    }
}
