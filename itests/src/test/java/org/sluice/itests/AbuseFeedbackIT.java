package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.inject.Inject;
import javax.net.ssl.HttpsURLConnection;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentState;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.SettingsService;
import org.sluice.itests.mail.MailServer;

/**
 * Abuse feedback (C5) end to end on the distribution: reports uploaded through the own API are classified, and an
 * authenticated reporter is sent the disposition's Abuse Feedback template through the queue to a real SMTP server
 * (GreenMail on loopback, started by the test inside the container); the same report handed in again is not answered
 * twice, another reporter of the same message is, a forged reporter never; who was told is in the incident's
 * activity. Also the close policy, and the checks on template edits and the deletion of template sets.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AbuseFeedbackIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/sluice/api/v1";
    private static final Actor ACTOR = Actor.system("feedback-it");
    private static final String PREFIX = "Sluice Threat Response";

    private static GreenMail smtp;

    @Inject
    private IncidentService incidents;

    @Inject
    private SettingsService settings;

    @Inject
    private ConfigurationAdmin configs;

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(Arrays.asList(distribution()));
        options.addAll(MailServer.options());
        options.add(editConfigurationFilePut("etc/org.sluice.queue.cfg", "pollIntervalMillis", "200"));
        return options.toArray(new Option[0]);
    }

    /** Starts plain SMTP on loopback once per container; it ends with the container. */
    @Before
    public void startMailServer() throws Exception {
        if (smtp != null) {
            return;
        }
        int port = MailServer.port();
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp = MailServer.start(server);
        MailServer.configurePlainNotifier(configs, port, "Sluice <sluice@example.org>");
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    /** A phish with an executable attachment: the default rules call it Malicious. */
    private static String phish(String messageId) {
        String exe = Base64.getMimeEncoder().encodeToString("MZ not really a program".getBytes(StandardCharsets.UTF_8));
        return "Return-Path: <billing@invoices-evil.test>\r\n"
                + "From: Billing <billing@invoices-evil.test>\r\nTo: staff@example.org\r\n"
                + "Subject: Overdue invoice <b>{{recipient.address}}</b>\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\n"
                + "Message-ID: <" + messageId + ">\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"ph\"\r\n\r\n"
                + "--ph\r\nContent-Type: text/plain\r\n\r\nPlease pay the attached invoice today.\r\n"
                + "--ph\r\nContent-Type: application/octet-stream; name=\"invoice.exe\"\r\n"
                + "Content-Disposition: attachment; filename=\"invoice.exe\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + exe + "\r\n--ph--\r\n";
    }

    /** A report of {@code reported} from {@code from}, authenticated by our server's passing results or not. */
    static byte[] report(String from, boolean authenticated, String reported) {
        String results = authenticated
                ? "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.org; dkim=pass"
                        + " header.d=example.org; dmarc=pass header.from=example.org\r\n"
                : "";
        return (results + "From: <" + from + ">\r\nTo: abuse@example.org\r\nSubject: Fwd: Overdue invoice\r\n"
                        + "Date: Fri, 04 Dec 2026 09:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID()
                        + "@example.org>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=\"rep\"\r\n\r\n"
                        + "--rep\r\nContent-Type: text/plain\r\n\r\nThis looks wrong.\r\n"
                        + "--rep\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" + reported
                        + "\r\n--rep--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode upload(byte[] body) throws Exception {
        HttpsURLConnection connection =
                (HttpsURLConnection) new URL(baseUrl() + API + "/clear/reports").openConnection();
        connection.setSSLSocketFactory(pinnedContext().getSocketFactory());
        connection.setRequestMethod("POST");
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(60_000);
        connection.setRequestProperty("Authorization", basic("admin", adminPassword()));
        connection.setRequestProperty("Content-Type", "message/rfc822");
        connection.setDoOutput(true);
        connection.getOutputStream().write(body);
        int status = connection.getResponseCode();
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("HTTP " + status + ": " + text, status == 200 || status == 201);
        return JSON.readTree(text);
    }

    private void set(Map<String, Object> values) {
        settings.update(values, ACTOR);
    }

    @Test
    public void authenticatedReportersGetTheDispositionsFeedbackOncePerReport() throws Exception {
        set(Map.of(
                "domains.internal", List.of("example.org"),
                "clear.policy.malicious.feedback", true,
                "clear.policy.malicious.quarantine", false));
        try {
            String alice = unique("alice");
            String bob = unique("bob");
            String mallory = unique("ceo");
            String reported = phish("feedback-" + UUID.randomUUID() + "@invoices-evil.test");

            byte[] aliceReport = report(alice, true, reported);
            JsonNode first = upload(aliceReport);
            assertEquals("Malicious", first.get("disposition").asText());
            long incident = first.get("incident_id").asLong();

            MimeMessage mail = awaitMail(alice, 1).get(0);
            assertEquals(1, mail.getAllRecipients().length);
            assertEquals(alice, ((InternetAddress) mail.getAllRecipients()[0]).getAddress());
            assertEquals(PREFIX + ": The message you reported was malicious", mail.getSubject());
            assertTrue(mail.getMessageID(), mail.getMessageID().endsWith("@notify.sluice.invalid>"));
            String text = NotificationIT.part(mail, "text/plain");
            String html = NotificationIT.part(mail, "text/html");
            assertTrue(text, text.contains("Overdue invoice") && text.contains("dangerous"));
            assertTrue(html, html.contains("<td>Overdue invoice &lt;b&gt;{{recipient.address}}&lt;/b&gt;</td>"));
            assertFalse(html, html.contains(alice + "</b>"));
            assertTrue(html, html.contains("dangerous"));

            // The same report handed in again: same alert, no second feedback.
            JsonNode again = upload(aliceReport);
            assertEquals(first.get("alert_id").asLong(), again.get("alert_id").asLong());
            // Another reporter of the same message: same incident, own feedback.
            JsonNode second = upload(report(bob, true, reported));
            assertEquals(incident, second.get("incident_id").asLong());
            // A forged reporter: filed, never answered.
            JsonNode forged = upload(report(mallory, false, reported));
            assertFalse(forged.get("authenticated").asBoolean());

            awaitMail(bob, 1);
            Thread.sleep(3_000);
            assertEquals(1, mailTo(alice).size());
            assertEquals(1, mailTo(bob).size());
            assertEquals(0, mailTo(mallory).size());

            // Who was told, as the own API lists it.
            await(Duration.ofSeconds(30), () -> {
                JsonNode notified = incidentJson(incident).get("notified");
                assertEquals(notified.toString(), 2, notified.size());
                for (JsonNode told : notified) {
                    assertEquals("abuse-feedback", told.get("action").asText());
                    assertEquals(
                            "default/abuse-feedback-malicious",
                            told.get("template").asText());
                }
                assertTrue(notified.toString(), notified.toString().contains(alice));
                assertTrue(notified.toString(), notified.toString().contains(bob));
            });

            // Without the prefix the subject is the template's own words; policy off: no feedback.
            set(Map.of("notifications.subject_prefix", ""));
            String carol = unique("carol");
            upload(report(carol, true, phish("noprefix-" + UUID.randomUUID() + "@invoices-evil.test")));
            assertEquals(
                    "The message you reported was malicious",
                    awaitMail(carol, 1).get(0).getSubject());
            set(Map.of("clear.policy.malicious.feedback", false));
            String dan = unique("dan");
            upload(report(dan, true, phish("off-" + UUID.randomUUID() + "@invoices-evil.test")));
            Thread.sleep(3_000);
            assertEquals(0, mailTo(dan).size());
        } finally {
            set(Map.of("clear.policy.malicious.feedback", false, "notifications.subject_prefix", PREFIX));
        }
    }

    @Test
    public void closePolicyClosesTheIncidentOfAnAuthenticatedReportOnly() throws Exception {
        set(Map.of(
                "domains.internal", List.of("example.org"),
                "clear.policy.malicious.close", true,
                "clear.policy.malicious.feedback", true));
        try {
            String erin = unique("erin");
            JsonNode closed = upload(report(erin, true, phish("close-" + UUID.randomUUID() + "@invoices-evil.test")));
            long incident = closed.get("incident_id").asLong();
            assertEquals(
                    IncidentState.CLOSED, incidents.get(incident).orElseThrow().state());
            // The feedback queued before the close still goes out.
            assertEquals(
                    PREFIX + ": The message you reported was malicious",
                    awaitMail(erin, 1).get(0).getSubject());

            JsonNode forged =
                    upload(report(unique("frank"), false, phish("open-" + UUID.randomUUID() + "@invoices-evil.test")));
            assertTrue(incidents
                    .get(forged.get("incident_id").asLong())
                    .orElseThrow()
                    .state()
                    .isOpen());
        } finally {
            set(Map.of("clear.policy.malicious.close", false, "clear.policy.malicious.feedback", false));
        }
    }

    @Test
    public void templateEditsAreCheckedAndAdminsSetsCanBeDeleted() throws Exception {
        String admin = basic("admin", adminPassword());
        String base = API + "/notifications/templates";

        HttpResult unknown = http(
                "PUT",
                base + "/default/quarantine",
                "{\"subject\":\"Removed\",\"text\":\"Hi\\nyo {{recipient.nmae}}\"}",
                "Authorization",
                admin);
        assertEquals(unknown.body(), 400, unknown.status());
        assertTrue(
                unknown.body(),
                unknown.body().contains("text: line 2, column 4: unknown placeholder 'recipient.nmae'"));

        HttpResult unclosed = http(
                "PUT",
                base + "/default/quarantine",
                "{\"subject\":\"Removed\",\"text\":\"ok\",\"html\":\"<p>Hello {{recipient.name</p>\"}",
                "Authorization",
                admin);
        assertEquals(unclosed.body(), 400, unclosed.status());
        assertTrue(unclosed.body(), unclosed.body().contains("html: line 1, column 10: '{{' is never closed"));

        HttpResult crlf = http(
                "PUT",
                base + "/default/quarantine",
                "{\"subject\":\"Removed\\r\\nBcc: all@example.org\",\"text\":\"ok\"}",
                "Authorization",
                admin);
        assertEquals(crlf.body(), 400, crlf.status());
        assertTrue(crlf.body(), crlf.body().contains("subject: line 1, column 8: a line break (CR or LF)"));

        HttpResult unknownKind = http(
                "POST",
                base + "/default/quarantine/copy",
                "{\"set\":\"acme-x\",\"kind\":\"quarantine-friendly\"}",
                "Authorization",
                admin);
        assertEquals(unknownKind.body(), 400, unknownKind.status());
        assertTrue(
                unknownKind.body(), unknownKind.body().contains("kind: unknown template kind 'quarantine-friendly'"));

        HttpResult wrongModel = http(
                "POST",
                base + "/default/quarantine/copy",
                "{\"set\":\"acme-x\",\"kind\":\"soc-new-incident\"}",
                "Authorization",
                admin);
        assertEquals(wrongModel.body(), 400, wrongModel.status());
        assertTrue(
                wrongModel.body(), wrongModel.body().contains("subject: line 1, column 1: unknown placeholder 'many'"));
        // Nothing was stored by any refused request.
        assertEquals(
                0,
                JSON.readTree(http("GET", base + "/default/quarantine", null, "Authorization", admin)
                                .body())
                        .get("version")
                        .asInt());
        assertFalse(http("GET", base, null, "Authorization", admin).body().contains("acme-x"));

        // The shipped set cannot be deleted, whole or in part.
        assertEquals(
                409,
                http("DELETE", base + "/default", null, "Authorization", admin).status());
        assertEquals(
                409,
                http("DELETE", base + "/default/quarantine", null, "Authorization", admin)
                        .status());

        // An own set used for feedback: renders the feedback, cannot be deleted while the setting names it.
        String set = "fb-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResult copied = http(
                "POST",
                base + "/default/abuse-feedback-malicious/copy",
                "{\"set\":\"" + set + "\",\"kind\":\"abuse-feedback-malicious\"}",
                "Authorization",
                admin);
        assertEquals(copied.body(), 201, copied.status());
        HttpResult edited = http(
                "PUT",
                base + "/" + set + "/abuse-feedback-malicious",
                "{\"subject\":\"Verdict: {{disposition.name}}\",\"text\":\"{{#messages}}{{subject}}{{/messages}}\"}",
                "Authorization",
                admin);
        assertEquals(edited.body(), 200, edited.status());
        set(Map.of(
                "domains.internal",
                List.of("example.org"),
                "clear.policy.malicious.feedback",
                true,
                "clear.policy.feedback_template_set",
                set));
        try {
            String grace = unique("grace");
            upload(report(grace, true, phish("own-set-" + UUID.randomUUID() + "@invoices-evil.test")));
            MimeMessage mail = awaitMail(grace, 1).get(0);
            assertEquals(PREFIX + ": Verdict: malicious", mail.getSubject());
            assertTrue(mail.getContentType(), mail.isMimeType("text/plain"));

            HttpResult inUse = http("DELETE", base + "/" + set, null, "Authorization", admin);
            assertEquals(inUse.body(), 409, inUse.status());
            assertTrue(inUse.body(), inUse.body().contains("clear.policy.feedback_template_set"));
            assertEquals(
                    409,
                    http("DELETE", base + "/" + set + "/abuse-feedback-malicious", null, "Authorization", admin)
                            .status());
        } finally {
            set(Map.of("clear.policy.feedback_template_set", "default", "clear.policy.malicious.feedback", false));
        }
        assertEquals(
                204,
                http("DELETE", base + "/" + set + "/abuse-feedback-malicious", null, "Authorization", admin)
                        .status());
        assertEquals(
                404,
                http("GET", base + "/" + set + "/abuse-feedback-malicious", null, "Authorization", admin)
                        .status());
        assertEquals(
                404,
                http("DELETE", base + "/" + set + "/abuse-feedback-malicious", null, "Authorization", admin)
                        .status());

        // A whole own set with two kinds goes at once.
        String gone = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        for (String kind : List.of("quarantine", "undo-quarantine")) {
            assertEquals(
                    201,
                    http(
                                    "POST",
                                    base + "/default/" + kind + "/copy",
                                    "{\"set\":\"" + gone + "\",\"kind\":\"" + kind + "\"}",
                                    "Authorization",
                                    admin)
                            .status());
        }
        assertTrue(http("GET", base, null, "Authorization", admin).body().contains(gone));
        assertEquals(
                204,
                http("DELETE", base + "/" + gone, null, "Authorization", admin).status());
        assertFalse(http("GET", base, null, "Authorization", admin).body().contains(gone));
        assertEquals(
                404,
                http("DELETE", base + "/" + gone, null, "Authorization", admin).status());
    }

    private static JsonNode incidentJson(long incident) throws Exception {
        HttpResult result =
                http("GET", API + "/incidents/" + incident, null, "Authorization", basic("admin", adminPassword()));
        assertEquals(result.body(), 200, result.status());
        return JSON.readTree(result.body());
    }

    private List<MimeMessage> awaitMail(String recipient, int count) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        await(Duration.ofSeconds(60), () -> {
            found.clear();
            found.addAll(mailTo(recipient));
            assertEquals("mails to " + recipient, count, found.size());
        });
        return found;
    }

    private static List<MimeMessage> mailTo(String recipient) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            for (jakarta.mail.Address address : message.getAllRecipients()) {
                if (((InternetAddress) address).getAddress().equalsIgnoreCase(recipient)) {
                    out.add(message);
                }
            }
        }
        return out;
    }
}
