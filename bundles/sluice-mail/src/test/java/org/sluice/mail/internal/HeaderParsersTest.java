package org.sluice.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sluice.mail.AuthenticationResults;
import org.sluice.mail.MailAddress;
import org.sluice.mail.ReceivedHop;

/** Received, date, address and authentication-results parsing on hand-written header values. */
class HeaderParsersTest {

    @Test
    void receivedHopWithCommentsIpv6AndObsoleteZone() {
        ReceivedHop hop = ReceivedParser.parse("from mail.example.org (mail.example.org [IPv6:2001:db8::1]) "
                + "(using TLSv1.3 with cipher X) by mx.example.net (Postfix) with ESMTPS id 4AbC "
                + "for <bob@example.net>; Tue, 1 Oct 2024 10:11:12 PDT (envelope from x)");

        assertEquals("2001:db8::1", hop.fromIp());
        assertEquals("mx.example.net (Postfix)", hop.by());
        assertEquals("ESMTPS", hop.with());
        assertEquals("4AbC", hop.id());
        assertEquals("bob@example.net", hop.forAddress());
        assertEquals(Instant.parse("2024-10-01T17:11:12Z"), hop.date());
    }

    @Test
    void hopWithBadDateIsKeptAndFlagged() {
        ReceivedHop hop = ReceivedParser.parse("from a.example (1.2.3.4) by b.example; yesterday at noon");

        assertEquals("1.2.3.4", hop.fromIp());
        assertEquals("b.example", hop.by());
        assertEquals("yesterday at noon", hop.dateText());
        assertNull(hop.date());
        assertTrue(hop.dateUnparseable());
    }

    @Test
    void datesOfManyShapes() {
        assertEquals(Instant.parse("2024-01-02T03:04:00Z"), MailDates.parse("2 Jan 24 03:04 GMT"));
        assertEquals(Instant.parse("2024-01-02T08:04:05Z"), MailDates.parse("Tue,  2 Jan 2024 03:04:05 -0500 (EST)"));
        assertNull(MailDates.parse("31 Feb 2024 00:00:00 +0000"));
        assertNull(MailDates.parse("not a date"));
    }

    @Test
    void addressListsWithGroupsCommentsAndQuotes() {
        List<MailAddress> list = AddressParser.parseList("team: \"Doe, Jane\" <jane@example.com>, "
                + "bob@example.com (Bob Smith);, <>, =?utf-8?Q?M=C3=BCller?= <m@example.de>");

        assertEquals(4, list.size());
        assertEquals(new MailAddress("Doe, Jane", "jane@example.com"), list.get(0));
        assertEquals(new MailAddress("Bob Smith", "bob@example.com"), list.get(1));
        assertEquals(new MailAddress("", ""), list.get(2));
        assertEquals(new MailAddress("Müller", "m@example.de"), list.get(3));
        assertEquals("example.de", list.get(3).domain());
    }

    @Test
    void authenticationResultsWithVersionCommentsAndQuotedValues() {
        AuthenticationResults ar = AuthResultsParser.parse(
                "Authentication-Results",
                "mx.example.com 1; dkim=fail (bad sig) reason=\"signature; verification failed\" header.d=ex.com "
                        + "header.s=s1; spf/2=softfail smtp.mailfrom=a@ex.com; dmarc=fail (p=reject) header.from=ex.com");

        assertEquals("mx.example.com", ar.authservId());
        assertEquals(3, ar.results().size());
        assertEquals("signature; verification failed", ar.results().get(0).reason());
        assertEquals("s1", ar.results().get(0).property("header.s"));
        assertEquals("spf", ar.results().get(1).method());
        assertEquals("softfail", ar.results().get(1).result());
    }

    @Test
    void receivedSpfBecomesAnSpfResult() {
        AuthenticationResults ar = AuthResultsParser.parseReceivedSpf(
                "Fail (protection.outlook.com: domain of x does not designate 1.2.3.4) receiver=a; client-ip=1.2.3.4;"
                        + " helo=h.example;");

        assertEquals("fail", ar.results().get(0).result());
        assertEquals("1.2.3.4", ar.results().get(0).property("client-ip"));
    }
}
