package org.sluice.clear.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sluice.clear.internal.ReporterCheck.Reporter;
import org.sluice.mail.MailParser;

/** Who reported it: genuine internal reporters, and the ways a forged reporter tries to pass. */
class ReporterCheckTest {

    private static final List<String> INTERNAL = List.of("example.org");

    private static Reporter check(String headers, String trusted) {
        byte[] raw = (headers + "Subject: report\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        return ReporterCheck.check(new MailParser().parse(raw), INTERNAL, trusted);
    }

    @Test
    void internalWithDmarcPassOnTopResultsIsAuthenticated() {
        Reporter r = check(
                "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.org;"
                        + " dkim=pass header.d=example.org; dmarc=pass header.from=example.org\r\n"
                        + "From: Alice <Alice@Example.org>\r\n",
                "");
        assertTrue(r.internal());
        assertTrue(r.authenticated(), r.reason());
        assertEquals("alice@example.org", r.address());
    }

    @Test
    void alignedDkimFromASubdomainCounts() {
        Reporter r = check(
                "Authentication-Results: mx.example.org; dkim=pass header.d=mail.example.org\r\n"
                        + "From: alice@example.org\r\n",
                "");
        assertTrue(r.authenticated(), r.reason());
    }

    @Test
    void forgedInternalFromWithFailingTopResultsIsNotAuthenticated() {
        // The sender wrote a passing Authentication-Results of its own; only the topmost one, added by our server,
        // counts.
        Reporter r = check(
                "Authentication-Results: mx.example.org; spf=fail smtp.mailfrom=evil.test; dkim=none;"
                        + " dmarc=fail header.from=example.org\r\n"
                        + "Authentication-Results: mx.example.org; dmarc=pass header.from=example.org\r\n"
                        + "From: CEO <ceo@example.org>\r\n",
                "");
        assertTrue(r.internal());
        assertFalse(r.authenticated(), r.reason());
    }

    @Test
    void unalignedPassesDoNotCount() {
        Reporter r = check(
                "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=bounce@evil.test;"
                        + " dkim=pass header.d=evil.test; dmarc=pass header.from=evil.test\r\n"
                        + "From: alice@example.org\r\n",
                "");
        assertFalse(r.authenticated(), r.reason());
    }

    @Test
    void aTopLevelDomainSignatureDoesNotAlign() {
        Reporter r = check(
                "Authentication-Results: mx.example.org; dkim=pass header.d=org\r\nFrom: alice@example.org\r\n", "");
        assertFalse(r.authenticated(), r.reason());
    }

    @Test
    void externalReporterIsNeverAuthenticated() {
        Reporter r = check(
                "Authentication-Results: mx.example.org; dmarc=pass header.from=partner.test\r\n"
                        + "From: bob@partner.test\r\n",
                "X-Report-Token: s3cret");
        assertFalse(r.internal());
        assertFalse(r.authenticated());
    }

    @Test
    void noResultsAtAllIsNotAuthenticated() {
        assertFalse(check("From: alice@example.org\r\n", "").authenticated());
        assertFalse(check("Subject: x\r\n", "").authenticated());
    }

    @Test
    void trustedAddInHeaderCountsOnlyWithTheConfiguredValue() {
        String from = "From: alice@example.org\r\n";
        assertTrue(check("X-Report-Token: s3cret\r\n" + from, "X-Report-Token: s3cret")
                .authenticated());
        assertFalse(check("X-Report-Token: guess\r\n" + from, "X-Report-Token: s3cret")
                .authenticated());
        assertFalse(check("X-Report-Token: s3cret\r\n" + from, "").authenticated());
        assertFalse(check("X-Report-Token: \r\n" + from, "X-Report-Token:").authenticated());
    }

    private static final String DMARC_PASS =
            "Authentication-Results: mx.example.org; dmarc=pass header.from=example.org\r\n";

    @Test
    void aFromWithSeveralAddressesIsNeverAuthenticated() {
        Reporter dmarc = check(DMARC_PASS + "From: alice@example.org, eve@evil.test\r\n", "");
        assertFalse(dmarc.authenticated(), dmarc.reason());
        assertTrue(dmarc.reason().contains("2 addresses"), dmarc.reason());
        Reporter trusted =
                check("X-Report-Token: s3cret\r\nFrom: alice@example.org, eve@evil.test\r\n", "X-Report-Token: s3cret");
        assertFalse(trusted.authenticated(), trusted.reason());
    }

    @Test
    void twoFromFieldsAreNeverAuthenticated() {
        Reporter r = check(DMARC_PASS + "From: alice@example.org\r\nFrom: eve@evil.test\r\n", "");
        assertFalse(r.authenticated(), r.reason());
    }

    @Test
    void aSenderOtherThanTheFromIsNotAuthenticatedTheSameOneIs() {
        Reporter other = check(DMARC_PASS + "From: alice@example.org\r\nSender: eve@evil.test\r\n", "");
        assertFalse(other.authenticated(), other.reason());
        Reporter two =
                check(DMARC_PASS + "From: alice@example.org\r\nSender: alice@example.org, eve@evil.test\r\n", "");
        assertFalse(two.authenticated(), two.reason());
        Reporter same = check(DMARC_PASS + "From: alice@example.org\r\nSender: Alice <ALICE@example.org>\r\n", "");
        assertTrue(same.authenticated(), same.reason());
    }
}
