package org.sluice.clear.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sluice.api.clear.ClearAnalysis.Header;
import org.sluice.mail.MailParser;
import org.sluice.mail.ParsedMessage;

class HeaderViewTest {

    private static final String HEAD = "Received: from a by b; Thu, 3 Dec 2026 08:00:01 +0000\r\n"
            + "Received: from c by a; Thu, 3 Dec 2026 08:00:00 +0000\r\n"
            + "From: =?UTF-8?B?0JLRgNC10LzRjw==?= <bad@evil.test>\r\n"
            + "To: alice@example.org\r\n"
            + "Subject: =?ISO-8859-1?Q?Rechnung_f=FCr?=\r\n Dezember\r\n"
            + "Reply-To: other@freemail.test\r\n"
            + "X-Evil: <script>alert(1)</script>\r\n";
    private static final byte[] MESSAGE = (HEAD + "\r\nbody line\r\n\r\nmore\r\n").getBytes(StandardCharsets.UTF_8);

    @Test
    void prioritizedFieldsComeFirstInTheSettingsOrderThenTheRestInMessageOrder() {
        ParsedMessage m = new MailParser().parse(MESSAGE);
        List<Header> headers = HeaderView.order(m.headers(), List.of("reply-to", "Received", "X-Absent"));
        assertEquals(
                List.of("Reply-To", "Received", "Received", "From", "To", "Subject", "X-Evil"),
                headers.stream().map(Header::name).toList());
        assertEquals(
                List.of(5, 0, 1, 2, 3, 4, 6),
                headers.stream().map(Header::position).toList());
        assertTrue(headers.get(0).prioritized()
                && headers.get(1).prioritized()
                && headers.get(2).prioritized());
        assertFalse(headers.get(3).prioritized());
        // Decoded values, folding joined, no line breaks.
        assertEquals("Время <bad@evil.test>", headers.get(3).value());
        assertEquals("Rechnung für Dezember", headers.get(5).value());
        assertTrue(headers.get(1).value().startsWith("from a by b"));
        assertEquals("<script>alert(1)</script>", headers.get(6).value());
        headers.forEach(h -> assertFalse(h.value().contains("\r") || h.value().contains("\n")));
    }

    @Test
    void withNothingPrioritizedTheOrderIsTheMessages() {
        ParsedMessage m = new MailParser().parse(MESSAGE);
        List<Header> headers = HeaderView.order(m.headers(), List.of());
        assertEquals(
                List.of(0, 1, 2, 3, 4, 5, 6),
                headers.stream().map(Header::position).toList());
        assertTrue(headers.stream().noneMatch(Header::prioritized));
    }

    @Test
    void theRawBlockIsTheBytesBeforeTheFirstEmptyLine() {
        assertArrayEquals(HEAD.getBytes(StandardCharsets.UTF_8), HeaderView.rawBlock(MESSAGE));
        byte[] lf = "A: 1\nB: 2\n\nbody\n\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("A: 1\nB: 2\n".getBytes(StandardCharsets.UTF_8), HeaderView.rawBlock(lf));
        byte[] headOnly = "A: 1\r\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(headOnly, HeaderView.rawBlock(headOnly));
    }

    @Test
    void fieldsWithoutABlockAreWrittenOnePerLine() {
        ParsedMessage m = new MailParser().parse("From: a@evil.test\r\nSubject: hi\r\n\r\nx\r\n".getBytes());
        assertEquals(
                "From: a@evil.test\r\nSubject: hi\r\n",
                new String(HeaderView.written(m.headers()), StandardCharsets.UTF_8));
    }
}
