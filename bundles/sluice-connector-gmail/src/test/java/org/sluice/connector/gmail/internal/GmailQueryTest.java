package org.sluice.connector.gmail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GmailQueryTest {

    @Test
    void valuesBecomeOnePhraseWithoutQuotesBackslashesOrControlCharacters() {
        assertEquals("rfc822msgid:\"abc@example.com\"", GmailQuery.messageId("<abc@example.com>"));
        assertEquals("rfc822msgid:\"x OR from:* OR y@e\"", GmailQuery.messageId("x\" OR from:* OR \"y@e"));
        assertEquals("rfc822msgid:\"a b@e\"", GmailQuery.messageId("a\\\"b@e"));
        assertEquals("rfc822msgid:\"a b\"", GmailQuery.messageId("a\r\n\tb"));
        assertEquals("rfc822msgid:\"{a} -b* (c)\"", GmailQuery.messageId("{a} -b* (c)"));
        assertNull(GmailQuery.messageId("\"\""));
        assertNull(GmailQuery.messageId("  "));
    }

    @Test
    void windowSearchWidensTheTimesByASecondAndNeedsASenderOrSubject() {
        Instant from = Instant.ofEpochSecond(1_000);
        Instant to = Instant.ofEpochSecond(2_000);

        assertEquals(
                "from:\"a@b\" subject:\"Re: x\" after:999 before:2002",
                GmailQuery.window("a@b", "Re: \"x\"", from, to));
        assertEquals("subject:\"s\"", GmailQuery.window(null, "s", null, null));
        assertNull(GmailQuery.window(null, "\"", from, to));
    }

    @Test
    void messageIdsCompareWithoutBracketsOrCase() {
        assertTrue(GmailQuery.sameMessageId("<ABC@Example.com>", "abc@example.com"));
        assertFalse(GmailQuery.sameMessageId("<abc@example.com>", "abc@example.co"));
        assertFalse(GmailQuery.sameMessageId("<>", ""));
        assertEquals("a@b", GmailQuery.address("\"A <x>\" <a@b>"));
        assertEquals("a@b", GmailQuery.address(" a@b "));
    }
}
