package org.sluice.api.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingTest {

    @Test
    void internalDomainsAcceptCommaSeparatedTextAndNormalise() {
        Object value = Setting.INTERNAL_DOMAINS.normalize(" Example.ORG, mail.example.org ,example.org,");

        assertEquals(List.of("example.org", "mail.example.org"), value);
    }

    @Test
    void badDomainIsNamed() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> Setting.INTERNAL_DOMAINS.normalize(List.of("example.org", "not a domain")));

        assertEquals("'not a domain' is not a domain name", error.getMessage());
    }

    @Test
    void attemptsMustBeAWholeNumberInRange() {
        assertEquals(5, Setting.QUARANTINE_MAX_ATTEMPTS.normalize(5));
        assertThrows(IllegalArgumentException.class, () -> Setting.QUARANTINE_MAX_ATTEMPTS.normalize(0));
        assertThrows(IllegalArgumentException.class, () -> Setting.QUARANTINE_MAX_ATTEMPTS.normalize(51));
        assertThrows(IllegalArgumentException.class, () -> Setting.QUARANTINE_MAX_ATTEMPTS.normalize(2.5));
        assertThrows(IllegalArgumentException.class, () -> Setting.QUARANTINE_MAX_ATTEMPTS.normalize("5"));
    }

    @Test
    void prefixMayBeEmptyButNotMultiLine() {
        assertEquals("", Setting.SUBJECT_PREFIX.normalize("  "));
        assertThrows(IllegalArgumentException.class, () -> Setting.SUBJECT_PREFIX.normalize("a\r\nBcc: x@y"));
    }

    @Test
    void headerNamesRejectSpacesAndColonsAndDropDuplicates() {
        assertEquals(
                List.of("From", "X-Mailer"),
                Setting.PRIORITIZED_HEADERS.normalize(List.of("From", "X-Mailer", "from")));
        assertThrows(IllegalArgumentException.class, () -> Setting.PRIORITIZED_HEADERS.normalize(List.of("Bad:Name")));
        assertThrows(IllegalArgumentException.class, () -> Setting.PRIORITIZED_HEADERS.normalize(List.of("Two words")));
    }

    @Test
    void routesAreCheckedAndNormalised() {
        assertEquals(
                List.of("ceo@corp.example=graph-1", "corp.example=imap-main", "*=gmail"),
                Setting.MAILBOX_ROUTES.normalize("CEO@Corp.example=graph-1, corp.example = imap-main,*=gmail"));
        assertThrows(IllegalArgumentException.class, () -> Setting.MAILBOX_ROUTES.normalize(List.of("corp.example")));
        assertThrows(IllegalArgumentException.class, () -> Setting.MAILBOX_ROUTES.normalize(List.of("not a domain=x")));
        assertThrows(IllegalArgumentException.class, () -> Setting.MAILBOX_ROUTES.normalize(List.of("a.example=b c")));
        assertThrows(
                IllegalArgumentException.class,
                () -> Setting.MAILBOX_ROUTES.normalize(List.of("a.example=x", "A.example=y")));
    }

    @Test
    void quarantineRangesAndBooleans() {
        assertEquals(0, Setting.QUARANTINE_NOT_FOUND_WINDOW.normalize(0));
        assertThrows(IllegalArgumentException.class, () -> Setting.QUARANTINE_NOT_FOUND_WINDOW.normalize(10_081));
        assertThrows(IllegalArgumentException.class, () -> Setting.QUARANTINE_MAX_COPIES.normalize(0));
        assertEquals(1000, Setting.QUARANTINE_MAX_COPIES.normalize(1000));
        assertEquals(true, Setting.QUARANTINE_INCLUDE_SENDER_SENT.normalize(true));
        assertEquals(false, Setting.QUARANTINE_INCLUDE_SENDER_SENT.normalize("false"));
        assertThrows(IllegalArgumentException.class, () -> Setting.QUARANTINE_INCLUDE_SENDER_SENT.normalize(1));
    }

    @Test
    void socRecipientsAreAddressesWithoutLineBreaks() {
        assertEquals(
                List.of("soc@example.org", "oncall@example.org"),
                Setting.SOC_RECIPIENTS.normalize("soc@example.org, oncall@example.org,SOC@example.org"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Setting.SOC_RECIPIENTS.normalize(List.of("soc@example.org\r\nBcc: x@example.org")));
        assertThrows(IllegalArgumentException.class, () -> Setting.SOC_RECIPIENTS.normalize(List.of("no-at-sign")));
    }

    @Test
    void switchesAreBooleans() {
        assertEquals(false, Setting.SOC_NEW_ALERT.normalize(false));
        assertThrows(IllegalArgumentException.class, () -> Setting.SOC_NEW_ALERT.normalize("no"));
    }

    @Test
    void trustedReportHeaderMustBeANameAndAValueAndIsShownMasked() {
        Setting header = Setting.CLEAR_TRUSTED_REPORT_HEADER;
        assertEquals("X-Report-Token: s3cret", header.normalize("  X-Report-Token:s3cret "));
        assertEquals("", header.normalize(" "));
        for (String bad : List.of("s3cret", "X-Report-Token:", "X-Report-Token:   ", ": s3cret", "X Token: s3cret")) {
            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, () -> header.normalize(bad), bad);
            assertFalse(error.getMessage().contains("s3cret"), error.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> header.normalize("X-Token: a\u0000b"));
        assertThrows(IllegalArgumentException.class, () -> header.normalize(5));

        assertTrue(header.secret());
        assertEquals("X-Report-Token: " + Setting.MASK, header.masked("X-Report-Token: s3cret"));
        assertEquals("", header.masked(""));
        assertEquals("Sluice", Setting.SUBJECT_PREFIX.masked("Sluice"));
        assertFalse(Setting.SUBJECT_PREFIX.secret());
    }
}
