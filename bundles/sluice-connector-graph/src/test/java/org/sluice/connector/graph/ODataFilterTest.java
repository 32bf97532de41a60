package org.sluice.connector.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sluice.api.mailbox.CopyQuery;

class ODataFilterTest {

    @Test
    void doublesEveryQuoteSoTheValueStaysOneLiteral() {
        assertEquals("'a'' or 1 eq 1 or ''b'", ODataFilter.literal("a' or 1 eq 1 or 'b"));
        assertEquals("''''''", ODataFilter.literal("''"));
    }

    @Test
    void refusesControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ODataFilter.literal("a\r\nb"));
        assertEquals("a search value holds the control character U+000D", e.getMessage());
    }

    @Test
    void buildsTheMessageIdFilterWithBrackets() {
        assertEquals(
                "internetMessageId eq '<o''brien@x.test>'",
                GraphMailboxConnector.filterFor(new CopyQuery("o'brien@x.test", null, null, null, null, 5)));
    }

    @Test
    void buildsTheSenderSubjectWindowFilter() {
        assertEquals(
                "receivedDateTime ge 2026-12-04T10:00:00Z and receivedDateTime le 2026-12-04T11:00:01Z"
                        + " and from/emailAddress/address eq 'a@b.test' and subject eq 'It''s due'",
                GraphMailboxConnector.filterFor(new CopyQuery(
                        null,
                        "a@b.test",
                        "It's due",
                        Instant.parse("2026-12-04T10:00:00.5Z"),
                        Instant.parse("2026-12-04T11:00:00Z"),
                        5)));
    }

    @Test
    void refusesAQueryWithNeitherIdNorSenderSubjectAndWindow() {
        assertThrows(
                IllegalArgumentException.class,
                () -> GraphMailboxConnector.filterFor(new CopyQuery(null, "a@b.test", null, null, null, 5)));
    }
}
