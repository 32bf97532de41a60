package org.sluice.core.internal.quarantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.Severity;

class RoutingTest {

    private static final List<String> ROUTES =
            List.of("ceo@corp.example=graph-vip", "corp.example=imap-main", "*=gmail-1");

    @Test
    void addressBeatsDomainBeatsDefault() {
        assertEquals(Optional.of("graph-vip"), Routes.route("CEO@corp.example", ROUTES));
        assertEquals(Optional.of("imap-main"), Routes.route("alice@corp.example", ROUTES));
        assertEquals(Optional.of("gmail-1"), Routes.route("bob@other.example", ROUTES));
        assertEquals(Optional.empty(), Routes.route("bob@other.example", List.of("corp.example=imap-main")));
    }

    @Test
    void subdomainIsNotTheDomain() {
        assertEquals(Optional.empty(), Routes.route("x@sub.corp.example", List.of("corp.example=imap-main")));
    }

    @Test
    void recipientsFromToCcBccAndRecipientKeptOnceAndInternalOnly() {
        Map<String, Object> data = Map.of(
                "email",
                Map.of(
                        "to", "Alice <Alice@Corp.example>, \"Doe, John\" <john@corp.example>",
                        "cc", List.of(Map.of("email", "carol@partner.example"), "dave@corp.example"),
                        "bcc", List.of("eve@corp.example"),
                        "recipient", Map.of("email", "alice@corp.example")));

        Set<String> all = Recipients.all(data);

        assertEquals(
                List.of(
                        "alice@corp.example",
                        "john@corp.example",
                        "carol@partner.example",
                        "dave@corp.example",
                        "eve@corp.example"),
                List.copyOf(all));
        assertEquals(
                List.of("alice@corp.example", "john@corp.example", "dave@corp.example", "eve@corp.example"),
                Recipients.internal(all, List.of("corp.example")));
        assertEquals(List.of(), Recipients.internal(all, List.of()));
        assertFalse(Recipients.isInternal("x@evilcorp.example", List.of("corp.example")));
    }

    @Test
    void sentFoldersByName() {
        assertTrue(SentFolders.isSent("Sent"));
        assertTrue(SentFolders.isSent("INBOX.Sent"));
        assertTrue(SentFolders.isSent("Sent Items"));
        assertTrue(SentFolders.isSent("[Gmail]/Sent Mail"));
        assertFalse(SentFolders.isSent("INBOX"));
        assertFalse(SentFolders.isSent("Sentinel"));
        assertFalse(SentFolders.isSent(null));
    }

    @Test
    void targetByMessageIdNormalised() {
        Alert alert = alert(Map.of("message_id", "<Abc.1@Mail.Example>", "sender", "x@evil.example"));

        Map<String, String> target = Targets.of(alert).orElseThrow();

        assertEquals("Abc.1@mail.example", target.get(QuarantineParams.MESSAGE_ID));
        assertEquals("x@evil.example", target.get(QuarantineParams.SENDER));
        assertFalse(target.containsKey(QuarantineParams.SUBJECT));
    }

    @Test
    void targetWithoutMessageIdUsesSenderSubjectAndWindow() {
        Alert alert = alert(Map.of(
                "sender", Map.of("email", "x@evil.example"),
                "subject", "Invoice \"42\" *",
                "delivery_time", "2026-03-01T10:00:00Z"));

        Map<String, String> target = Targets.of(alert).orElseThrow();

        assertEquals("Invoice \"42\" *", target.get(QuarantineParams.SUBJECT));
        assertEquals("2026-03-01T09:00:00Z", target.get(QuarantineParams.RECEIVED_FROM));
        assertEquals("2026-03-02T10:00:00Z", target.get(QuarantineParams.RECEIVED_TO));
    }

    @Test
    void noTargetWithoutIdOrSenderAndSubject() {
        assertTrue(Targets.of(alert(Map.of("subject", "only a subject"))).isEmpty());
    }

    private static Alert alert(Map<String, Object> email) {
        Instant t = Instant.parse("2026-03-01T10:05:00Z");
        return new Alert(1, 2, "json", "src", null, Severity.MEDIUM, "s", null, t, t, Map.of("email", email));
    }
}
