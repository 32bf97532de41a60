package org.sluice.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Crossing a limit is recorded, never fatal; malformed input never throws out of the parser. */
class LimitsAndMalformedInputTest {

    private static final String SIMPLE =
            "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nhello http://x.example/\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A message wrapping {@code inner} as a message/rfc822 part, {@code levels} times. */
    private static String nest(String inner, int levels) {
        String message = inner;
        for (int i = 0; i < levels; i++) {
            message = "Subject: level " + (levels - i) + "\r\nContent-Type: message/rfc822\r\n\r\n" + message;
        }
        return message;
    }

    @Test
    void sizeLimitKeepsTheBeginningAndSaysSo() throws Exception {
        ParseLimits limits = new ParseLimits(40, 8, 100, 1000, 100, 100);
        byte[] input = bytes(SIMPLE);

        ParsedMessage m = new MailParser(limits).parse(new ByteArrayInputStream(input));

        assertTrue(m.has(FindingKind.SIZE_LIMIT), m.findings().toString());
        assertEquals("a@example.com", m.from().get(0).address());
        assertEquals(41, m.size());
        assertEquals(input.length, new MailParser().parse(input).size());
    }

    @Test
    void depthLimitKeepsTheDeepMessageAsAnAttachmentWithoutParsingIt() {
        ParseLimits limits = new ParseLimits(1 << 20, 2, 100, 1000, 100, 100);

        ParsedMessage m = new MailParser(limits).parse(bytes(nest(SIMPLE, 3)));

        ParsedMessage level2 = m.nestedMessages().get(0).nestedMessages().get(0);
        assertEquals("level 3", level2.subject());
        Attachment deepest = level2.attachments().get(0);
        assertNull(deepest.message());
        assertTrue(deepest.size() > 0);
        assertTrue(level2.has(FindingKind.DEPTH_LIMIT), level2.findings().toString());
        assertTrue(m.allFindings().stream().anyMatch(f -> f.kind() == FindingKind.DEPTH_LIMIT));
    }

    @Test
    void partLimitStopsWalkingTheTree() {
        StringBuilder s = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < 20; i++) {
            s.append("--b\r\nContent-Type: application/octet-stream\r\n\r\npart ")
                    .append(i)
                    .append("\r\n");
        }
        s.append("--b--\r\n");

        ParsedMessage m = new MailParser(new ParseLimits(1 << 20, 8, 5, 1000, 100, 100)).parse(bytes(s.toString()));

        assertEquals(4, m.attachments().size()); // the multipart itself counts as the first part
        assertTrue(m.has(FindingKind.PART_LIMIT));
    }

    @Test
    void headerLengthAndCountLimits() {
        String longValue = "x".repeat(500);
        StringBuilder s = new StringBuilder("Subject: " + longValue + "\r\n");
        for (int i = 0; i < 10; i++) {
            s.append("X-Extra-").append(i).append(": v\r\n");
        }
        s.append("\r\nbody\r\n");

        ParsedMessage m = new MailParser(new ParseLimits(1 << 20, 8, 100, 100, 5, 100)).parse(bytes(s.toString()));

        assertEquals(5, m.headers().size());
        assertEquals(100, m.subject().length());
        assertTrue(m.has(FindingKind.HEADER_LENGTH_LIMIT));
        assertTrue(m.has(FindingKind.HEADER_COUNT_LIMIT));
    }

    @Test
    void urlLimit() {
        String body = "http://a.example/ http://b.example/ http://c.example/";

        ParsedMessage m = new MailParser(new ParseLimits(1 << 20, 8, 100, 1000, 100, 2))
                .parse(bytes("Subject: u\r\n\r\n" + body));

        assertEquals(2, m.urls().size());
        assertTrue(m.has(FindingKind.URL_LIMIT));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ParseLimits(0, 1, 1, 1, 1, 1));
    }

    @Test
    void malformedInputsNeverThrow() {
        MailParser parser = new MailParser();
        Random random = new Random(42);
        byte[][] inputs = {
            new byte[0],
            bytes("\r\n\r\n"),
            bytes("no header at all, just text"),
            bytes("Content-Type: multipart/mixed; boundary=\"unterminated\r\n\r\n--unterminated\r\nContent-Type: "),
            bytes("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!"),
            bytes("Content-Type: text/plain; charset=\"=?x?Q?y?=\"\r\n\r\nbody"),
            {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 1, 2, 3},
            {0x78, (byte) 0x9F, 0x3E, 0x22, 0, 0, 1, 2, 3, 4, 5, 6, 7},
            randomBytes(random, 5000),
            bytes(nest("Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n", 30)),
        };

        for (byte[] input : inputs) {
            ParsedMessage m = parser.parse(input);

            assertNotNull(m);
            assertEquals(input.length, m.size());
        }
        assertTrue(parser.parse(inputs[6]).has(FindingKind.PARSE_ERROR));
        assertTrue(parser.parse(inputs[7]).has(FindingKind.PARSE_ERROR));
    }

    @Test
    void deeplyNestedMultipartsAreCutAndRecorded() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            s.append("Content-Type: multipart/mixed; boundary=b")
                    .append(i)
                    .append("\r\n\r\n--b")
                    .append(i)
                    .append("\r\n");
        }
        s.append("Content-Type: text/plain\r\n\r\ndeep\r\n");

        ParsedMessage m = new MailParser().parse(bytes(s.toString()));

        assertTrue(m.has(FindingKind.MALFORMED_MIME), m.findings().toString());
        assertFalse(m.has(FindingKind.PARSE_ERROR));
    }

    @Test
    void attachedEmlTypedAsOctetStreamIsParsed() {
        String eml = "From: inner@example.com\r\nSubject: inner\r\n\r\nbody\r\n";
        String outer = "Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nsee "
                + "attached\r\n--z\r\nContent-Type: application/octet-stream; name=\"fwd.eml\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(bytes(eml)) + "\r\n--z--\r\n";

        ParsedMessage m = new MailParser().parse(bytes(outer));

        Attachment a = m.attachments().get(0);
        assertEquals("fwd.eml", a.fileName());
        assertEquals("inner", a.message().subject());
        assertEquals(
                "inner@example.com",
                m.allAttachments().get(0).message().from().get(0).address());
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
