package org.sluice.clear.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.clear.internal.ReporterCheck.Reporter;
import org.sluice.mail.MailParser;
import org.sluice.mail.ParsedMessage;

class ReportedEmailTest {

    private static final Instant REPORTED = Instant.parse("2026-12-04T09:30:00Z");
    private static final Reporter ALICE = new Reporter("alice@example.org", "example.org", true, true, "dmarc=pass");
    private static final Reporter FORGED = new Reporter("ceo@example.org", "example.org", true, false, "dmarc=fail");

    private final ReportUnwrapper unwrapper = new ReportUnwrapper(new MailParser());

    @Test
    void inlineForwardIsNamedBySenderSubjectWindowAndRecipients() {
        Unwrapped u = unwrapper.unwrap(ReportUnwrapperTest.reportInline("alice@example.org"));
        Map<String, Object> email = ReportedEmail.email(u.reported(), null, ALICE, REPORTED);
        assertNull(email.get("message_id"));
        assertEquals(Map.of("email", "helpdesk@evil-login.test"), email.get("sender"));
        assertEquals("Your mailbox is full - verify now", email.get("subject"));
        assertEquals("2026-12-03T09:15:00Z", email.get("delivery_time"));
        // From a day before the claimed date to a day after the report.
        assertEquals("2026-12-02T09:15:00Z", email.get("received_after"));
        assertEquals("2026-12-05T09:30:00Z", email.get("received_before"));
        assertEquals(List.of("alice@example.org"), email.get("to"));
        assertEquals("alice@example.org", email.get("recipient"));
    }

    @Test
    void aDateAfterTheReportOrNoDateDoesNotNarrowTheWindowPastTheReport() {
        ParsedMessage future = parse("From: a@evil.test\r\nSubject: s\r\nDate: Fri, 01 Jan 2027 00:00:00 +0000\r\n");
        Map<String, Object> email = ReportedEmail.email(future, null, ALICE, REPORTED);
        assertEquals("2026-12-03T09:30:00Z", email.get("received_after"));
        ParsedMessage undated = parse("From: a@evil.test\r\nSubject: s\r\nDate: Thursday, 3 December 2026 8 AM\r\n");
        email = ReportedEmail.email(undated, null, ALICE, REPORTED);
        assertEquals("2026-11-27T09:30:00Z", email.get("received_after"));
        assertEquals("2026-12-05T09:30:00Z", email.get("received_before"));
    }

    @Test
    void anUnauthenticatedReporterIsNoRecipient() {
        ParsedMessage m = parse("From: a@evil.test\r\nTo: Bob <Bob@Example.org>\r\nCc: carol@example.org, "
                + "bob@example.org\r\nSubject: s\r\nMessage-ID: <x@evil.test>\r\n");
        Map<String, Object> email = ReportedEmail.email(m, "x@evil.test", FORGED, REPORTED);
        assertNull(email.get("recipient"));
        assertEquals("x@evil.test", email.get("message_id"));
        assertEquals(List.of("bob@example.org", "carol@example.org"), email.get("to"));
        assertEquals("s", ((Map<?, ?>) email.get("headers")).get("Subject"));
    }

    @Test
    void failedReportsGatherPerAuthenticatedReporterAndDayAndUnauthenticatedOnesTogether() {
        Instant morning = Instant.parse("2026-12-04T00:10:00Z");
        Instant evening = Instant.parse("2026-12-04T23:50:00Z");
        assertEquals(ReportedEmail.failedLinkKey(ALICE, morning), ReportedEmail.failedLinkKey(ALICE, evening));
        assertNotEquals(
                ReportedEmail.failedLinkKey(ALICE, evening),
                ReportedEmail.failedLinkKey(ALICE, evening.plusSeconds(1200)));
        Reporter bob = new Reporter("bob@example.org", "example.org", true, true, "spf=pass");
        assertNotEquals(ReportedEmail.failedLinkKey(ALICE, morning), ReportedEmail.failedLinkKey(bob, morning));
        Reporter other = new Reporter("cfo@example.org", "example.org", true, false, "none");
        assertEquals(ReportedEmail.failedLinkKey(FORGED, morning), ReportedEmail.failedLinkKey(other, evening));
        assertEquals(ReportedEmail.failedLinkKey(null, morning), ReportedEmail.failedLinkKey(other, morning));
    }

    @Test
    void uploadsHaveAName() {
        assertEquals("CLEAR Upload", ReportedEmail.sourceName("upload"));
        assertEquals("Abuse Mailbox 1", ReportedEmail.sourceName("Abuse Mailbox 1"));
        assertEquals("CLEAR", ReportedEmail.sourceName(null));
    }

    private static ParsedMessage parse(String head) {
        return new MailParser().parse((head + "\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
