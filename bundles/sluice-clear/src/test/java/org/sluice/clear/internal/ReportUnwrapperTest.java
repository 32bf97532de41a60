package org.sluice.clear.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sluice.mail.MailParser;
import org.sluice.mail.ParsedMessage;

/**
 * Unwrapping reports: the reported message attached as {@code message/rfc822}, as an {@code .eml} file, forwarded
 * inline, inside a real corpus wrapper, and nothing at all. Reports are built around real phishing samples from the
 * shared corpus; the expected values (Message-ID, sender) are read from the sample's header lines as text, not from
 * the parser.
 */
class ReportUnwrapperTest {

    private static final Path CORPUS = Path.of("../../../shared/corpus/eml/phishing_pot");
    private static final String SAMPLE = "sample-96.eml";
    private static final String SAMPLE_MESSAGE_ID =
            "CANEy_Dj91bGpyHqz1fkK81s=JK9HDxUgYmg+2doKL01ZwbJaSg@mail.gmail.com";

    private final MailParser parser = new MailParser();
    private final ReportUnwrapper unwrapper = new ReportUnwrapper(parser);

    private static byte[] corpus(String name) throws IOException {
        Path file = CORPUS.resolve(name);
        if (!Files.isRegularFile(file)) {
            System.err.println("SKIPPED: corpus file " + file.toAbsolutePath() + " is absent");
        }
        assumeTrue(Files.isRegularFile(file), "corpus file " + file.toAbsolutePath() + " is absent");
        return Files.readAllBytes(file);
    }

    private static String head(String from) {
        return "From: Alice <" + from + ">\r\nTo: abuse@example.org\r\nSubject: Fwd: suspicious\r\n"
                + "Date: Fri, 04 Dec 2026 10:00:00 +0000\r\nMessage-ID: <report-" + from.hashCode()
                + "@example.org>\r\nMIME-Version: 1.0\r\n";
    }

    static byte[] reportWithRfc822(String from, byte[] reported) {
        String start = head(from) + "Content-Type: multipart/mixed; boundary=\"rep-b\"\r\n\r\n"
                + "--rep-b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease look at this one.\r\n"
                + "--rep-b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n";
        String end = "\r\n--rep-b--\r\n";
        return concat(start.getBytes(StandardCharsets.US_ASCII), reported, end.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] reportWithFile(String from, byte[] reported, String fileName) {
        String encoded = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(reported);
        String text = head(from) + "Content-Type: multipart/mixed; boundary=\"rep-b\"\r\n\r\n"
                + "--rep-b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
                + "--rep-b\r\nContent-Type: application/octet-stream; name=\"" + fileName + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + encoded + "\r\n--rep-b--\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] reportInline(String from) {
        String text = head(from) + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Is this real?\r\n\r\n---------- Forwarded message ---------\r\n"
                + "From: IT Helpdesk <helpdesk@evil-login.test>\r\n"
                + "Date: Thu, 3 Dec 2026 09:15:00 +0000\r\n"
                + "Subject: Your mailbox is full - verify now\r\n"
                + "To: <" + from + ">\r\n\r\n"
                + "Your password expires today. Verify at https://evil-login.test/owa/verify now.\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void findsAMessageAttachedAsRfc822() throws IOException {
        byte[] sample = corpus(SAMPLE);
        Unwrapped u = unwrapper.unwrap(reportWithRfc822("alice@example.org", sample));
        assertTrue(u.found());
        assertEquals(Unwrapped.ATTACHED_MESSAGE, u.foundAs());
        assertEquals(SAMPLE_MESSAGE_ID, u.reported().messageId());
        assertEquals(
                "jodykrier60@gmail.com",
                u.reported().fromAddress().orElseThrow().address());
        assertEquals("message-id:" + SAMPLE_MESSAGE_ID, u.identity());
        // The kept bytes are the reported message, not the report: parsed alone they give its Message-ID again.
        ParsedMessage kept = parser.parse(u.reportedRaw());
        assertEquals(SAMPLE_MESSAGE_ID, kept.messageId());
        assertTrue(u.reportedRaw().length < sample.length + 200 && u.reportedRaw().length > sample.length / 2);
    }

    @Test
    void findsAMessageAttachedAsEmlFileAndKeepsItsExactBytes() throws IOException {
        byte[] sample = corpus(SAMPLE);
        Unwrapped u = unwrapper.unwrap(reportWithFile("alice@example.org", sample, "phish.eml"));
        assertTrue(u.found());
        assertEquals(Unwrapped.ATTACHED_FILE, u.foundAs());
        assertEquals(SAMPLE_MESSAGE_ID, u.reported().messageId());
        assertArrayEquals(sample, u.reportedRaw());
    }

    @Test
    void findsAMessageAttachedAsMsgFile() throws IOException {
        Path msg = Path.of("../../../shared/corpus/msg/unicode.msg");
        assumeTrue(Files.isRegularFile(msg), "corpus file " + msg.toAbsolutePath() + " is absent");
        byte[] bytes = Files.readAllBytes(msg);
        Unwrapped u = unwrapper.unwrap(reportWithFile("alice@example.org", bytes, "reported.msg"));
        assertTrue(u.found());
        assertEquals(Unwrapped.ATTACHED_FILE, u.foundAs());
        assertArrayEquals(bytes, u.reportedRaw());
        assertNotEquals(u.report().subject(), u.reported().subject());
    }

    @Test
    void findsAnInlineForwardBySenderSubjectAndDate() {
        byte[] report = reportInline("alice@example.org");
        Unwrapped u = unwrapper.unwrap(report);
        assertTrue(u.found());
        assertEquals(Unwrapped.INLINE_FORWARD, u.foundAs());
        assertEquals(
                "helpdesk@evil-login.test",
                u.reported().fromAddress().orElseThrow().address());
        assertEquals("Your mailbox is full - verify now", u.reported().subject());
        assertTrue(
                u.reported().urlHosts().contains("evil-login.test"),
                u.reported().urlHosts().toString());
        assertSame(report, u.reportedRaw());
        assertTrue(u.identity().startsWith("forwarded:"));
        assertEquals(Instant.parse("2026-12-03T09:15:00Z"), u.reported().date());
        assertEquals(
                List.of("alice@example.org"),
                u.reported().to().stream().map(a -> a.address()).toList());
        assertEquals("", u.reported().messageId());
        // Another person forwarding the same message identifies the same message.
        Unwrapped other = unwrapper.unwrap(reportInline("bob@example.org"));
        assertEquals(u.identity(), other.identity());
    }

    @Test
    void dateLinesOfOutlookAndGmailForwardsAreRead() {
        assertEquals(
                "Thu, 3 Dec 2026 09:15:00 GMT", ReportUnwrapper.forwardedDate("Thursday, December 3, 2026 9:15 AM"));
        assertEquals("Thu, 3 Dec 2026 21:15:00 GMT", ReportUnwrapper.forwardedDate("Thu, Dec 3, 2026 at 9:15\u202FPM"));
        assertEquals("Thu, 3 Dec 2026 09:15:00 GMT", ReportUnwrapper.forwardedDate("Thursday, 3 December 2026 09:15"));
        assertEquals("Thu, 3 Dec 2026 09:15:00 +0100", ReportUnwrapper.forwardedDate("Thu, 3 Dec 2026 09:15:00 +0100"));
        assertEquals("yesterday", ReportUnwrapper.forwardedDate("yesterday"));

        String outlook = "From: Alice <alice@example.org>\r\nTo: abuse@example.org\r\nSubject: FW: Invoice\r\n"
                + "Date: Thu, 3 Dec 2026 10:00:00 +0000\r\nContent-Type: text/plain\r\n\r\n"
                + "Have a look.\r\n\r\n________________________________\r\n"
                + "From: Billing <billing@evil-invoices.test>\r\nSent: Thursday, December 3, 2026 9:15 AM\r\n"
                + "To: Alice <alice@example.org>\r\nSubject: Invoice 4411\r\n\r\nPay today.\r\n";
        Unwrapped u = unwrapper.unwrap(outlook.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Unwrapped.INLINE_FORWARD, u.foundAs());
        assertEquals(Instant.parse("2026-12-03T09:15:00Z"), u.reported().date());
    }

    @Test
    void inlineForwardsOfDifferentMessagesDiffer() {
        byte[] a = reportInline("alice@example.org");
        byte[] b = new String(reportInline("alice@example.org"), StandardCharsets.UTF_8)
                .replace("verify now\r\n", "act today\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertNotEquals(unwrapper.unwrap(a).identity(), unwrapper.unwrap(b).identity());
    }

    @Test
    void findsTheOriginalInsideARealWrapperFromTheCorpus() throws IOException {
        // sample-2590 carries the original spam as a message/rfc822 part, as a forward-as-attachment report does;
        // the original has no Message-ID, so it is identified by sender, subject and date.
        byte[] wrapper = corpus("sample-2590.eml");
        Unwrapped u = unwrapper.unwrap(wrapper);
        assertTrue(u.found());
        assertEquals(Unwrapped.ATTACHED_MESSAGE, u.foundAs());
        assertEquals("", u.reported().messageId());
        assertEquals(
                "test@jzbgno.hospedagemweb.net",
                u.reported().fromAddress().orElseThrow().address());
        assertEquals(
                "20240116130152.7E00786440@rap-p-mail1.p1.ams.basefarm.net",
                u.report().messageId());
        assertTrue(u.identity().startsWith("forwarded:"));
        assertTrue(u.reportedRaw().length < wrapper.length);
    }

    @Test
    void garbageFindsNothingAndDoesNotThrow() {
        byte[] garbage = new byte[4096];
        new java.util.Random(5).nextBytes(garbage);
        Unwrapped u = unwrapper.unwrap(garbage);
        assertFalse(u.found());
        assertEquals(Unwrapped.NONE, u.foundAs());
        assertNull(u.reportedRaw());
        assertFalse(unwrapper.unwrap(new byte[0]).found());
    }

    @Test
    void aPlainMessageWithoutForwardIsNotAReportOfAnything() {
        byte[] plain = (head("alice@example.org") + "Content-Type: text/plain\r\n\r\nFrom: someone\r\nhello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertFalse(unwrapper.unwrap(plain).found());
    }
}
