package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.net.ssl.HttpsURLConnection;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentUser;
import org.sluice.api.incident.Severity;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.SettingsService;

/**
 * CLEAR report uploads through the own API on the real distribution: an authenticated internal report of a phish
 * becomes an incident with disposition, severity and explanation; a second report of the same message joins that
 * incident with both reporters; a forged reporter is flagged and not recorded; garbage is kept and filed as failed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClearIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPORTS = "/sluice/api/v1/clear/reports";

    @Inject
    private IncidentService incidents;

    @Inject
    private SettingsService settings;

    @Inject
    private RawMailStore rawMail;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    /** A phish from outside with an executable attachment, as the recipients received it. */
    private static String phish(String messageId) {
        String exe = Base64.getMimeEncoder().encodeToString("MZ not really a program".getBytes(StandardCharsets.UTF_8));
        return "Return-Path: <billing@invoices-evil.test>\r\n"
                + "Authentication-Results: mx.example.org; spf=fail smtp.mailfrom=invoices-evil.test\r\n"
                + "From: Billing <billing@invoices-evil.test>\r\nTo: alice@example.org, bob@example.org\r\n"
                + "Subject: Overdue invoice\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\n"
                + "Message-ID: <" + messageId + ">\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"ph\"\r\n\r\n"
                + "--ph\r\nContent-Type: text/plain\r\n\r\nPlease pay the attached invoice today.\r\n"
                + "--ph\r\nContent-Type: application/octet-stream; name=\"invoice.exe\"\r\n"
                + "Content-Disposition: attachment; filename=\"invoice.exe\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + exe + "\r\n--ph--\r\n";
    }

    private static String reportHead(String from, String authenticationResults) {
        return authenticationResults + "From: <" + from
                + ">\r\nTo: abuse@example.org\r\nSubject: Fwd: Overdue invoice\r\n"
                + "Date: Fri, 04 Dec 2026 09:00:00 +0000\r\nMessage-ID: <" + from.hashCode() + "." + System.nanoTime()
                + "@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"rep\"\r\n\r\n"
                + "--rep\r\nContent-Type: text/plain\r\n\r\nThis looks wrong.\r\n";
    }

    private static byte[] attachedReport(String from, String authenticationResults, String reported) {
        return (reportHead(from, authenticationResults)
                        + "--rep\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" + reported
                        + "\r\n--rep--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] fileReport(String from, String authenticationResults, String reported) {
        String encoded = Base64.getMimeEncoder().encodeToString(reported.getBytes(StandardCharsets.UTF_8));
        return (reportHead(from, authenticationResults)
                        + "--rep\r\nContent-Type: application/octet-stream; name=\"phish.eml\"\r\n"
                        + "Content-Disposition: attachment; filename=\"phish.eml\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n" + encoded + "\r\n--rep--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String passing(String domain) {
        return "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=" + domain + "; dkim=pass header.d="
                + domain + "; dmarc=pass header.from=" + domain + "\r\n";
    }

    private record Upload(int status, JsonNode body) {}

    private static Upload upload(byte[] body, String contentType) throws Exception {
        Upload upload = post(body, contentType);
        assertTrue("HTTP " + upload.status() + ": " + upload.body(), upload.status() == 200 || upload.status() == 201);
        return upload;
    }

    private static Upload post(byte[] body, String contentType) throws Exception {
        HttpsURLConnection connection = (HttpsURLConnection) new URL(baseUrl() + REPORTS).openConnection();
        connection.setSSLSocketFactory(pinnedContext().getSocketFactory());
        connection.setRequestMethod("POST");
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(60_000);
        connection.setRequestProperty("Authorization", basic("admin", adminPassword()));
        connection.setRequestProperty("Content-Type", contentType);
        connection.setDoOutput(true);
        connection.getOutputStream().write(body);
        int status = connection.getResponseCode();
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        return new Upload(status, JSON.readTree(text));
    }

    private Set<String> reporters(long incidentId) {
        return incidents.users(incidentId).stream()
                .filter(u -> u.role() == IncidentUser.Role.REPORTER)
                .map(IncidentUser::username)
                .collect(Collectors.toSet());
    }

    @Test
    public void reportsBecomeIncidentsLinkedByMessageWithEveryAuthenticatedReporter() throws Exception {
        settings.update(
                Map.of("domains.internal", List.of("example.org"), "clear.policy.malicious.quarantine", false),
                Actor.system("clear-it"));
        String messageId = "overdue-" + System.nanoTime() + "@invoices-evil.test";
        String reported = phish(messageId);

        Upload first = upload(attachedReport("alice@example.org", passing("example.org"), reported), "message/rfc822");
        JsonNode a = first.body();
        assertEquals(a.toString(), 201, first.status());
        assertEquals("analysed", a.get("status").asText());
        assertEquals("attached-message", a.get("found_as").asText());
        assertEquals(messageId, a.get("message_id").asText());
        assertTrue(a.get("authenticated").asBoolean());
        assertEquals("alice@example.org", a.get("reporter").asText());
        assertEquals("Malicious", a.get("disposition").asText());
        assertEquals("attachment-executable", a.get("rule_id").asText());
        assertEquals("critical", a.get("severity").asText());
        assertFalse(a.get("ruleset_version").asText().isEmpty());
        assertNotEquals(
                a.get("report_sha256").asText(), a.get("reported_sha256").asText());
        long incidentId = a.get("incident_id").asLong();

        Incident incident = incidents.get(incidentId).orElseThrow();
        assertEquals(Severity.CRITICAL, incident.severity());
        assertEquals("Malicious", incidents.fields(incidentId).get("Abuse Disposition"));
        Alert alert = incidents.alert(a.get("alert_id").asLong()).orElseThrow();
        assertEquals("clear", alert.sourceType());
        assertEquals("attachment-executable", alert.data().get("rule_id"));
        assertEquals(a.get("ruleset_version").asText(), alert.data().get("ruleset_version"));
        assertTrue(alert.description(), alert.description().contains("attachment-executable"));
        assertEquals(Set.of("alice@example.org"), reporters(incidentId));
        // Both raw messages are kept: the report and the reported message.
        assertTrue(rawMail.find(a.get("report_sha256").asText()).isPresent());
        assertTrue(rawMail.find(a.get("reported_sha256").asText()).isPresent());

        // Bob reports the same message, as an .eml file: same incident, both reporters.
        Upload second = upload(fileReport("bob@example.org", passing("example.org"), reported), "message/rfc822");
        JsonNode b = second.body();
        assertEquals(b.toString(), 200, second.status());
        assertEquals("attached-file", b.get("found_as").asText());
        assertEquals(incidentId, b.get("incident_id").asLong());
        assertNotEquals(a.get("alert_id").asLong(), b.get("alert_id").asLong());
        assertEquals(Set.of("alice@example.org", "bob@example.org"), reporters(incidentId));
        assertEquals(2, incidents.alerts(incidentId).size());

        // A forged internal reporter: the topmost results (our server's) fail; a passing one below was written by the
        // sender. Filed, flagged, not recorded as a reporter.
        String forgedResults = "Authentication-Results: mx.example.org; spf=fail smtp.mailfrom=evil.test;"
                + " dmarc=fail header.from=example.org\r\n" + passing("example.org");
        JsonNode f = upload(attachedReport("ceo@example.org", forgedResults, reported), "message/rfc822")
                .body();
        assertFalse(f.get("authenticated").asBoolean());
        assertEquals(incidentId, f.get("incident_id").asLong());
        Alert forgedAlert = incidents.alert(f.get("alert_id").asLong()).orElseThrow();
        assertEquals(Boolean.FALSE, forgedAlert.data().get("authenticated"));
        assertTrue(forgedAlert.summary(), forgedAlert.summary().contains("unauthenticated"));
        assertEquals(Set.of("alice@example.org", "bob@example.org"), reporters(incidentId));
        assertEquals(Severity.CRITICAL, incidents.get(incidentId).orElseThrow().severity());
        assertEquals("none", f.get("policy").asText());
    }

    @Test
    public void quarantinePolicyAboveTheCapWaitsForAnAnalyst() throws Exception {
        settings.update(
                Map.of(
                        "domains.internal",
                        List.of("example.org"),
                        "clear.policy.malicious.quarantine",
                        true,
                        "clear.policy.quarantine_cap",
                        1),
                Actor.system("clear-it"));
        try {
            // The phish went to alice and bob: two internal copies, above the cap of one.
            String reported = phish("capped-" + System.nanoTime() + "@invoices-evil.test");
            JsonNode r = upload(attachedReport("alice@example.org", passing("example.org"), reported), "message/rfc822")
                    .body();
            assertEquals("Malicious", r.get("disposition").asText());
            assertEquals("waiting-for-analyst", r.get("policy").asText());
            long incidentId = r.get("incident_id").asLong();
            assertTrue(incidents.comments(incidentId).stream()
                    .anyMatch(c -> c.text().contains("waits for an analyst")));
            assertEquals(0, incidents.alerts(incidentId).size() - 1);

            // A forged reporter never triggers the policy.
            String other = phish("forged-" + System.nanoTime() + "@invoices-evil.test");
            JsonNode f = upload(attachedReport("ceo@example.org", "", other), "message/rfc822")
                    .body();
            assertFalse(f.get("authenticated").asBoolean());
            assertEquals("none", f.get("policy").asText());
            assertTrue(incidents.comments(f.get("incident_id").asLong()).isEmpty());
        } finally {
            settings.update(Map.of("clear.policy.malicious.quarantine", false), Actor.system("clear-it"));
        }
    }

    private static byte[] inlineReport(String from, String subject) {
        return (passing("example.org") + "From: <" + from + ">\r\nTo: abuse@example.org\r\nSubject: Fwd: " + subject
                        + "\r\nDate: Fri, 04 Dec 2026 09:30:00 +0000\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\nPhishy?\r\n\r\n"
                        + "---------- Forwarded message ---------\r\n"
                        + "From: Mail Admin <admin@mailbox-evil.test>\r\nDate: Thu, 3 Dec 2026 07:00:00 +0000\r\n"
                        + "Subject: " + subject + "\r\nTo: <" + from + ">\r\n\r\n"
                        + "Verify your password at https://mailbox-evil.test/login today.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void inlineForwardsOfOneMessageJoinOneIncident() throws Exception {
        settings.update(Map.of("domains.internal", List.of("example.org")), Actor.system("clear-it"));
        String subject = "Mailbox quota exceeded " + System.nanoTime();
        JsonNode a = upload(inlineReport("carol@example.org", subject), "message/rfc822")
                .body();
        JsonNode b = upload(inlineReport("dan@example.org", subject), "message/rfc822")
                .body();
        assertEquals("inline-forward", a.get("found_as").asText());
        assertTrue(a.get("message_id").isNull());
        assertEquals(a.get("report_sha256").asText(), a.get("reported_sha256").asText());
        assertTrue(a.get("authenticated").asBoolean());
        assertEquals(a.get("incident_id").asLong(), b.get("incident_id").asLong());
        assertEquals(
                Set.of("carol@example.org", "dan@example.org"),
                reporters(a.get("incident_id").asLong()));
    }

    @Test
    public void garbageIsKeptAndFiledAsAFailedReport() throws Exception {
        byte[] garbage = new byte[20_000];
        new Random(42).nextBytes(garbage);
        Upload upload = upload(garbage, "application/vnd.ms-outlook");
        JsonNode g = upload.body();
        assertEquals("failed", g.get("status").asText());
        assertEquals("none", g.get("found_as").asText());
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(garbage));
        assertEquals(sha, g.get("report_sha256").asText());
        assertTrue(rawMail.find(sha).isPresent());
        try (InputStream kept = rawMail.open(sha)) {
            assertTrue(java.util.Arrays.equals(garbage, kept.readAllBytes()));
        }
        Alert alert = incidents.alert(g.get("alert_id").asLong()).orElseThrow();
        assertEquals("clear", alert.sourceType());
        assertEquals("failed", alert.data().get("status"));

        // Other media types are refused with a clear error, not filed.
        Upload text = post("hello".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertEquals(415, text.status());
        assertEquals("unsupported_media_type", text.body().get("code").asText());

        // Uploading the very same bytes again files nothing new.
        JsonNode again = upload(garbage, "application/octet-stream").body();
        assertEquals(g.get("alert_id").asLong(), again.get("alert_id").asLong());
    }
}
