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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Hashtable;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
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
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentUser;
import org.sluice.api.incident.Severity;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.Role;
import org.sluice.api.settings.SettingsService;
import org.sluice.boot.SecretBox;
import org.sluice.itests.imap.Dovecot;
import org.sluice.itests.imap.MiniImap;

/**
 * CLEAR report uploads through the own API on the real distribution: an authenticated internal report of a phish
 * becomes an incident with disposition, severity and explanation; a second report of the same message joins that
 * incident with both reporters; a forged reporter is flagged and not recorded; garbage is kept and filed as failed,
 * and reports without a reported message gather instead of opening an incident each. An alert's headers come
 * prioritized and download as plain text; the compatible API serves the reported message and names reporters and the
 * source; a dry run of a ruleset says what would change and changes nothing; an inline-forwarded report's copies are
 * quarantined from a real Dovecot by sender, subject and time.
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

    @Inject
    private ApiKeyService apiKeys;

    @Inject
    private ConfigurationAdmin configs;

    @Inject
    private SecretBox box;

    @Inject
    private PluginRegistry plugins;

    private static Dovecot dovecot;

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

    /** A raw HTTP exchange: status, headers, body bytes. */
    private record Raw(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return String.join(",", e.getValue());
                }
            }
            return null;
        }

        JsonNode json() throws java.io.IOException {
            return JSON.readTree(body);
        }
    }

    private static Raw request(String method, String path, String authorization, String contentType, byte[] body)
            throws Exception {
        HttpsURLConnection connection = (HttpsURLConnection) new URL(baseUrl() + path).openConnection();
        connection.setSSLSocketFactory(pinnedContext().getSocketFactory());
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(120_000);
        connection.setRequestProperty("Authorization", authorization);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", contentType);
            connection.getOutputStream().write(body);
        }
        int status = connection.getResponseCode();
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        byte[] bytes = stream == null ? new byte[0] : stream.readAllBytes();
        return new Raw(status, connection.getHeaderFields(), bytes);
    }

    private static String admin() throws Exception {
        return basic("admin", adminPassword());
    }

    @Test
    public void headersComePrioritizedAndTheCompatibleApiServesTheReportedMessageReportersAndSource() throws Exception {
        settings.update(
                Map.of(
                        "domains.internal",
                        List.of("example.org"),
                        "clear.policy.malicious.quarantine",
                        false,
                        "headers.prioritized",
                        List.of("Reply-To", "Received")),
                Actor.system("clear-it"));
        String messageId = "headers-" + System.nanoTime() + "@invoices-evil.test";
        String head = "Received: from relay.example.org by mx.example.org; Thu, 03 Dec 2026 08:00:02 +0000\r\n"
                + "Received: from evil.test by relay.example.org; Thu, 03 Dec 2026 08:00:01 +0000\r\n"
                + "X-Note: <script>alert(1)</script>\r\n"
                + "Reply-To: =?UTF-8?B?0JLRgNC10LzRjw==?= <collect@freemail.test>\r\n";
        String reported = head + phish(messageId);
        String block = reported.substring(0, reported.indexOf("\r\n\r\n") + 2);
        JsonNode a = upload(attachedReport("alice@example.org", passing("example.org"), reported), "message/rfc822")
                .body();
        long alertId = a.get("alert_id").asLong();
        long incidentId = a.get("incident_id").asLong();

        JsonNode headers = request("GET", "/sluice/api/v1/alerts/" + alertId + "/headers", admin(), null, null)
                .json();
        List<String> names = new ArrayList<>();
        headers.get("headers").forEach(h -> names.add(h.get("name").asText()));
        assertEquals(
                headers.toString(),
                List.of(
                        "Reply-To",
                        "Received",
                        "Received",
                        "X-Note",
                        "Return-Path",
                        "Authentication-Results",
                        "From",
                        "To",
                        "Subject",
                        "Date",
                        "Message-ID",
                        "MIME-Version",
                        "Content-Type"),
                names);
        JsonNode replyTo = headers.get("headers").get(0);
        assertTrue(replyTo.get("prioritized").asBoolean());
        assertEquals(3, replyTo.get("position").asInt());
        assertEquals("Время <collect@freemail.test>", replyTo.get("value").asText());
        assertTrue(headers.get("headers").get(2).get("prioritized").asBoolean());
        assertFalse(headers.get("headers").get(3).get("prioritized").asBoolean());
        assertEquals(0, headers.get("headers").get(1).get("position").asInt());
        assertEquals(
                "<script>alert(1)</script>",
                headers.get("headers").get(3).get("value").asText());

        Raw text = request("GET", "/sluice/api/v1/alerts/" + alertId + "/headers.txt", admin(), null, null);
        assertEquals(200, text.status());
        assertTrue(text.header("Content-Type"), text.header("Content-Type").startsWith("text/plain"));
        assertTrue(
                text.header("Content-Disposition"),
                text.header("Content-Disposition").startsWith("attachment"));
        assertEquals("nosniff", text.header("X-Content-Type-Options"));
        assertEquals(block, new String(text.body(), StandardCharsets.UTF_8));
        assertEquals(
                404,
                request("GET", "/sluice/api/v1/alerts/99999999/headers", admin(), null, null)
                        .status());

        // The compatible API: the reported message as the alert's original, the reporter among the users, the
        // source by its name.
        String key = apiKeys.create("clear-compat-" + System.nanoTime(), Role.ANALYST, Actor.system("clear-it"))
                .secret();
        Raw original = request("GET", "/api/v1/alerts/" + alertId + "/download_original_msg", key, null, null);
        assertEquals(200, original.status());
        assertTrue(original.header("Content-Disposition").startsWith("attachment"));
        assertEquals("nosniff", original.header("X-Content-Type-Options"));
        try (InputStream kept = rawMail.open(a.get("reported_sha256").asText())) {
            assertTrue(java.util.Arrays.equals(kept.readAllBytes(), original.body()));
        }
        assertTrue(new String(original.body(), StandardCharsets.UTF_8).contains("Message-ID: <" + messageId + ">"));
        JsonNode compat = request("GET", "/api/incidents/" + incidentId + ".json", key, null, null)
                .json();
        assertEquals(
                compat.toString(), List.of("alice@example.org"), JSON.convertValue(compat.get("users"), List.class));
        assertEquals(List.of("CLEAR Upload"), JSON.convertValue(compat.get("event_sources"), List.class));
        JsonNode event = compat.get("events").get(0);
        assertEquals("CLEAR Upload", event.get("source").asText());
        JsonNode email = event.get("emails").get(0);
        assertEquals(
                "billing@invoices-evil.test", email.get("sender").get("email").asText());
        assertEquals("alice@example.org", email.get("recipient").get("email").asText());
        assertEquals("Overdue invoice", email.get("subject").asText());
        assertTrue(email.get("messageId").asText().contains(messageId));
    }

    private static final String DRY_RULESET = """
            ruleset: dry-run-probe
            version: "1"
            rules:
              - id: overdue-is-bulk
                name: Overdue is bulk
                severity: low
                disposition: bulk
                condition: contains(subject, 'Overdue')
            """;

    @Test
    public void dryRunSaysWhatWouldChangeAndChangesNothing() throws Exception {
        settings.update(
                Map.of("domains.internal", List.of("example.org"), "clear.policy.malicious.quarantine", false),
                Actor.system("clear-it"));
        Instant from = Instant.now();
        JsonNode phish = upload(
                        attachedReport(
                                "alice@example.org",
                                passing("example.org"),
                                phish("dry-" + System.nanoTime() + "@invoices-evil.test")),
                        "message/rfc822")
                .body();
        JsonNode quota = upload(inlineReport("carol@example.org", "Quota " + System.nanoTime()), "message/rfc822")
                .body();
        assertEquals("Malicious", phish.get("disposition").asText());
        String window = "\"received_from\":\"" + from + "\"";

        // An uploaded ruleset file, as YAML in JSON: the phish would become Bulk by the new rule; the other would be
        // Unknown (no rule of the probe matches).
        String body = "{" + window + ",\"yaml\":" + JSON.writeValueAsString(DRY_RULESET) + "}";
        Raw run = request(
                "POST",
                "/sluice/api/v1/clear/dry-run",
                admin(),
                "application/json",
                body.getBytes(StandardCharsets.UTF_8));
        assertEquals(new String(run.body(), StandardCharsets.UTF_8), 200, run.status());
        JsonNode r = run.json();
        assertEquals("dry-run-probe", r.get("ruleset").asText());
        assertEquals("1", r.get("version").asText());
        assertEquals(r.toString(), 2, r.get("evaluated").asInt());
        assertFalse(r.get("truncated").asBoolean());
        JsonNode phishItem = item(r, phish.get("alert_id").asLong());
        assertEquals("Malicious", phishItem.get("current").get("disposition").asText());
        assertEquals(
                "attachment-executable", phishItem.get("current").get("rule_id").asText());
        assertEquals("Bulk", phishItem.get("would_be").get("disposition").asText());
        assertEquals("overdue-is-bulk", phishItem.get("would_be").get("rule_id").asText());
        assertTrue(phishItem.get("changed").asBoolean());
        JsonNode quotaItem = item(r, quota.get("alert_id").asLong());
        assertEquals(
                quota.get("disposition").asText(),
                quotaItem.get("current").get("disposition").asText());
        assertEquals("Unknown", quotaItem.get("would_be").get("disposition").asText());
        assertEquals(1, r.get("transitions").get("Malicious -> Bulk").asInt());
        int total = 0;
        for (JsonNode n : r.get("transitions")) {
            total += n.asInt();
        }
        assertEquals(2, total);

        // Nothing changed.
        Alert stored = incidents.alert(phish.get("alert_id").asLong()).orElseThrow();
        assertEquals("Malicious", stored.data().get("disposition"));
        assertEquals(
                "Malicious", incidents.fields(phish.get("incident_id").asLong()).get("Abuse Disposition"));
        assertEquals(
                Severity.CRITICAL,
                incidents.get(phish.get("incident_id").asLong()).orElseThrow().severity());

        // The active ruleset by name: the same decisions as recorded; a limit of one leaves the rest.
        String byName = "{" + window + ",\"ruleset\":\"" + phish.get("ruleset").asText() + "\",\"limit\":1}";
        JsonNode same = request(
                        "POST",
                        "/sluice/api/v1/clear/dry-run",
                        admin(),
                        "application/json",
                        byName.getBytes(StandardCharsets.UTF_8))
                .json();
        assertEquals(same.toString(), 1, same.get("evaluated").asInt());
        assertTrue(same.get("truncated").asBoolean());
        assertEquals(0, same.get("changed").asInt());

        // A YAML body with the window as query parameters.
        Raw yaml = request(
                "POST",
                "/sluice/api/v1/clear/dry-run?received_from=" + from,
                admin(),
                "application/yaml",
                DRY_RULESET.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, yaml.status());
        assertEquals(2, yaml.json().get("evaluated").asInt());

        // A ruleset calling a forbidden method is refused with its rule and line; an unknown name is refused.
        String bad = DRY_RULESET.replace("contains(subject, 'Overdue')", "subject.getClass() != null");
        Raw refused = request(
                "POST",
                "/sluice/api/v1/clear/dry-run",
                admin(),
                "application/yaml",
                bad.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, refused.status());
        String message = refused.json().get("message").asText();
        assertTrue(message, message.contains("line 8: rule overdue-is-bulk") && message.contains("getClass"));
        Raw unknown = request(
                "POST",
                "/sluice/api/v1/clear/dry-run",
                admin(),
                "application/json",
                "{\"ruleset\":\"no-such-ruleset\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, unknown.status());
        Raw tooMany = request(
                "POST",
                "/sluice/api/v1/clear/dry-run",
                admin(),
                "application/json",
                "{\"limit\":100000}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, tooMany.status());
    }

    private static JsonNode item(JsonNode run, long alertId) {
        for (JsonNode item : run.get("items")) {
            if (item.get("alert_id").asLong() == alertId) {
                return item;
            }
        }
        throw new AssertionError("alert " + alertId + " missing from " + run);
    }

    private static byte[] emptyReport(String from, String authenticationResults) {
        return (authenticationResults + "From: <" + from + ">\r\nTo: abuse@example.org\r\nSubject: look at this "
                        + System.nanoTime() + "\r\nDate: Fri, 04 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain\r\n\r\nI forgot to attach it.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void reportsWithoutAReportedMessageGatherPerReporterAndDay() throws Exception {
        settings.update(Map.of("domains.internal", List.of("example.org")), Actor.system("clear-it"));
        LocalDate before = LocalDate.now(ZoneOffset.UTC);
        JsonNode a1 = upload(emptyReport("erin@example.org", passing("example.org")), "message/rfc822")
                .body();
        JsonNode a2 = upload(emptyReport("erin@example.org", passing("example.org")), "message/rfc822")
                .body();
        JsonNode b1 = upload(emptyReport("frank@example.org", passing("example.org")), "message/rfc822")
                .body();
        JsonNode f1 = upload(emptyReport("forger-" + System.nanoTime() + "@example.org", ""), "message/rfc822")
                .body();
        JsonNode f2 = upload(emptyReport("other-" + System.nanoTime() + "@evil.test", ""), "message/rfc822")
                .body();
        org.junit.Assume.assumeTrue(
                "the UTC day changed during the test", before.equals(LocalDate.now(ZoneOffset.UTC)));
        for (JsonNode n : List.of(a1, a2, b1, f1, f2)) {
            assertEquals(n.toString(), "failed", n.get("status").asText());
        }
        assertNotEquals(a1.get("alert_id").asLong(), a2.get("alert_id").asLong());
        assertEquals(a1.get("incident_id").asLong(), a2.get("incident_id").asLong());
        assertNotEquals(a1.get("incident_id").asLong(), b1.get("incident_id").asLong());
        assertEquals(f1.get("incident_id").asLong(), f2.get("incident_id").asLong());
        assertNotEquals(a1.get("incident_id").asLong(), f1.get("incident_id").asLong());
        assertEquals(Set.of("erin@example.org"), reporters(a1.get("incident_id").asLong()));
        assertTrue(reporters(f1.get("incident_id").asLong()).isEmpty());
        assertEquals(2, incidents.alerts(a1.get("incident_id").asLong()).size());

        // Such an alert's original message is the report itself, and so are its headers.
        String key = apiKeys.create("clear-failed-" + System.nanoTime(), Role.ANALYST, Actor.system("clear-it"))
                .secret();
        Raw original = request(
                "GET", "/api/v1/alerts/" + b1.get("alert_id").asLong() + "/download_original_msg", key, null, null);
        assertEquals(200, original.status());
        try (InputStream kept = rawMail.open(b1.get("report_sha256").asText())) {
            assertTrue(java.util.Arrays.equals(kept.readAllBytes(), original.body()));
        }
        JsonNode headers = request(
                        "GET", "/sluice/api/v1/alerts/" + b1.get("alert_id").asLong() + "/headers", admin(), null, null)
                .json();
        assertTrue(headers.toString(), headers.get("headers").toString().contains("frank@example.org"));
    }

    private static final String IMAP_INSTANCE = "dovecot-clear";

    private synchronized void startDovecot() throws Exception {
        Dovecot.assumeInstalled();
        if (dovecot != null) {
            return;
        }
        dovecot = Dovecot.start(
                List.of("gina@example.org", "hank@example.org", "ivan@example.org"), "master-" + UUID.randomUUID());
        org.osgi.service.cm.Configuration configuration =
                configs.getFactoryConfiguration("org.sluice.connector.imap", IMAP_INSTANCE, "?");
        Hashtable<String, Object> properties =
                dovecot.masterConnector(IMAP_INSTANCE, box.encrypt(dovecot.masterPassword()));
        configuration.update(properties);
        await(
                Duration.ofSeconds(60),
                () -> assertTrue(plugins.plugins().stream()
                        .anyMatch(p -> p.kind() == PluginRegistry.Kind.MAILBOX_CONNECTOR
                                && IMAP_INSTANCE.equals(p.instance()))));
    }

    private static byte[] original(String messageId, String from, String subject, String body) {
        return ("Message-ID: <" + messageId + ">\r\nFrom: " + from + "\r\nTo: gina@example.org, hank@example.org\r\n"
                        + "Subject: " + subject + "\r\nDate: Thu, 03 Dec 2026 07:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static int count(Map<String, List<byte[]>> mailbox, byte[] message) {
        int n = 0;
        for (List<byte[]> folder : mailbox.values()) {
            for (byte[] m : folder) {
                if (java.util.Arrays.equals(m, message)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    public void inlineForwardedReportQuarantinesCopiesBySenderSubjectAndTime() throws Exception {
        startDovecot();
        settings.update(
                Map.of(
                        "domains.internal",
                        List.of("example.org"),
                        "mailbox.routes",
                        List.of("example.org=" + IMAP_INSTANCE),
                        "quarantine.not_found_window_minutes",
                        0),
                Actor.system("clear-it"));
        String subject = "Mailbox quota exceeded " + System.nanoTime();
        String sender = "Mail Admin <admin@mailbox-evil.test>";
        byte[] phish = original("q-" + UUID.randomUUID() + "@mailbox-evil.test", sender, subject, "Verify now.");
        byte[] otherSubject =
                original("d1-" + UUID.randomUUID() + "@mailbox-evil.test", sender, subject + " (2)", "decoy");
        byte[] otherSender = original(
                "d2-" + UUID.randomUUID() + "@elsewhere.test", "Admin <admin@elsewhere.test>", subject, "decoy");
        try (MiniImap gina = dovecot.as("gina@example.org");
                MiniImap hank = dovecot.as("hank@example.org");
                MiniImap ivan = dovecot.as("ivan@example.org")) {
            gina.append("INBOX", phish);
            gina.append("INBOX", otherSubject);
            gina.append("INBOX", otherSender);
            hank.append("Archive", phish);
            ivan.append("INBOX", phish);
        }
        // Gina forwards it inline: no Message-ID of the reported message anywhere in the report.
        byte[] report = (passing("example.org") + "From: <gina@example.org>\r\nTo: abuse@example.org\r\n"
                        + "Subject: Fwd: " + subject
                        + "\r\nDate: Fri, 04 Dec 2026 09:30:00 +0000\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\nPhishy?\r\n\r\n"
                        + "---------- Forwarded message ---------\r\n"
                        + "From: " + sender + "\r\nDate: Thu, 3 Dec 2026 07:00:00 +0000\r\n"
                        + "Subject: " + subject + "\r\nTo: gina@example.org, hank@example.org\r\n\r\n"
                        + "Verify now.\r\n")
                .getBytes(StandardCharsets.UTF_8);
        JsonNode r = upload(report, "message/rfc822").body();
        assertEquals("inline-forward", r.get("found_as").asText());
        assertTrue(r.get("message_id").isNull());
        long incidentId = r.get("incident_id").asLong();

        Raw queued = request(
                "POST",
                "/sluice/api/v1/incidents/" + incidentId + "/quarantine",
                admin(),
                "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(new String(queued.body(), StandardCharsets.UTF_8), 202, queued.status());
        long requestId = queued.json().get("id").asLong();
        JsonNode[] last = new JsonNode[1];
        await(Duration.ofSeconds(90), () -> {
            last[0] = request("GET", "/sluice/api/v1/responses/" + requestId, admin(), null, null)
                    .json();
            assertTrue(last[0].toString(), last[0].get("finished").asBoolean());
        });
        assertEquals(
                last[0].toString(), 2, last[0].get("progress").get("succeeded").asInt());
        try (MiniImap gina = dovecot.as("gina@example.org");
                MiniImap hank = dovecot.as("hank@example.org");
                MiniImap ivan = dovecot.as("ivan@example.org")) {
            Map<String, List<byte[]>> ginaAll = gina.all();
            assertEquals(0, count(ginaAll, phish));
            assertEquals("another subject is untouched", 1, count(ginaAll, otherSubject));
            assertEquals("another sender is untouched", 1, count(ginaAll, otherSender));
            assertEquals(0, count(hank.all(), phish));
            assertEquals("ivan was no recipient", 1, count(ivan.all(), phish));
        }
        String key = apiKeys.create("clear-quarantine-" + System.nanoTime(), Role.ANALYST, Actor.system("clear-it"))
                .secret();
        JsonNode compat = request("GET", "/api/incidents/" + incidentId + ".json", key, null, null)
                .json();
        assertEquals(compat.toString(), 2, compat.get("successful_quarantines").asInt());
        for (JsonNode q : compat.get("quarantine_results")) {
            assertEquals("CLEAR Upload", q.get("alertSource").asText());
        }
    }
}
