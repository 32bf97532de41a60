package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.security.Actor;
import org.sluice.boot.SecretBox;
import org.sluice.itests.imap.Dovecot;
import org.sluice.itests.imap.MiniImap;
import org.sluice.itests.mail.MailServer;

/**
 * The users a manual response touched are told (SPEC N2), end to end: messages in a real Dovecot, a bulk quarantine and
 * a bulk undo of two incidents through the API, the undo naming an admin's edited copy of the undo template, and the
 * mail read back from a real SMTP server (GreenMail): each user gets one notice listing both of their messages.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ManualResponseNoticeIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/sluice/api/v1";
    private static final String INSTANCE = "dovecot-notices";

    @Inject
    private ConfigurationAdmin configs;

    @Inject
    private SecretBox box;

    @Inject
    private PluginRegistry plugins;

    @Inject
    private IncidentService incidents;

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(Arrays.asList(distribution()));
        options.addAll(MailServer.options());
        options.add(editConfigurationFilePut("etc/org.sluice.queue.cfg", "pollIntervalMillis", "200"));
        return options.toArray(new Option[0]);
    }

    private static byte[] message(String messageId, String subject) {
        return ("Message-ID: " + messageId + "\r\n"
                        + "From: Bad Guy <bad@evil.example>\r\n"
                        + "To: gina@corp.example, hank@corp.example\r\n"
                        + "Subject: " + subject + "\r\n"
                        + "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "\r\n"
                        + "Open http://evil.example/x\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private long raiseAlert(String messageId, String subject) {
        return incidents
                .submitAlert(
                        new NewAlert(
                                "itest",
                                "Proofpoint TAP",
                                null,
                                "itest:" + UUID.randomUUID(),
                                Severity.HIGH,
                                "phish",
                                null,
                                Instant.now(),
                                Map.of(
                                        "email",
                                        Map.of(
                                                "message_id",
                                                messageId,
                                                "sender",
                                                Map.of("email", "bad@evil.example"),
                                                "subject",
                                                subject,
                                                "to",
                                                List.of("gina@corp.example", "hank@corp.example")))),
                        Actor.system("itest"))
                .incidentId();
    }

    private JsonNode finished(String path, String body) throws Exception {
        String admin = basic("admin", adminPassword());
        HttpResult posted = http("POST", API + path, body, "Authorization", admin);
        assertEquals(posted.body(), 202, posted.status());
        long id = JSON.readTree(posted.body()).get("id").asLong();
        JsonNode[] last = new JsonNode[1];
        await(Duration.ofSeconds(120), () -> {
            last[0] = JSON.readTree(http("GET", API + "/responses/" + id, null, "Authorization", admin)
                    .body());
            assertTrue(last[0].toString(), last[0].get("finished").asBoolean());
        });
        return last[0];
    }

    @Test
    public void aBulkUndoWithAChosenTemplateTellsEachUserOnceAboutAllTheirMessages() throws Exception {
        Dovecot.assumeInstalled();
        Dovecot dovecot = Dovecot.start(List.of("gina@corp.example", "hank@corp.example"), "m-" + UUID.randomUUID());
        GreenMail smtp = MailServer.start(
                new GreenMail(new ServerSetup(MailServer.port(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP)));
        try {
            MailServer.configurePlainNotifier(configs, smtp.getSmtp().getPort(), "Sluice <sluice@corp.example>");

            configs.getFactoryConfiguration("org.sluice.connector.imap", INSTANCE, "?")
                    .update(dovecot.masterConnector(INSTANCE, box.encrypt(dovecot.masterPassword())));
            await(
                    Duration.ofSeconds(60),
                    () -> assertTrue(plugins.plugins().stream()
                            .anyMatch(p -> p.kind() == PluginRegistry.Kind.MAILBOX_CONNECTOR
                                    && INSTANCE.equals(p.instance()))));
            String admin = basic("admin", adminPassword());
            HttpResult settings = http(
                    "PUT",
                    API + "/settings",
                    "{\"domains.internal\":\"corp.example\",\"mailbox.routes\":[\"corp.example=" + INSTANCE
                            + "\"],\"quarantine.not_found_window_minutes\":0}",
                    "Authorization",
                    admin);
            assertEquals(settings.body(), 200, settings.status());
            HttpResult copied = http(
                    "POST",
                    API + "/notifications/templates/default/undo-quarantine/copy",
                    "{\"set\":\"acme\",\"kind\":\"undo-quarantine\"}",
                    "Authorization",
                    admin);
            assertEquals(copied.body(), 201, copied.status());
            HttpResult edited = http(
                    "PUT",
                    API + "/notifications/templates/acme/undo-quarantine",
                    "{\"subject\":\"Acme: {{count}} message(s) back\","
                            + "\"text\":\"{{#messages}}* {{subject}}\\n{{/messages}}\"}",
                    "Authorization",
                    admin);
            assertEquals(edited.body(), 200, edited.status());

            try (MiniImap gina = dovecot.as("gina@corp.example");
                    MiniImap hank = dovecot.as("hank@corp.example")) {
                for (MiniImap user : List.of(gina, hank)) {
                    user.append("INBOX", message("<n1@evil.example>", "Invoice one"));
                    user.append("INBOX", message("<n2@evil.example>", "Invoice two"));
                }
            }
            long first = raiseAlert("<n1@evil.example>", "Invoice one");
            long second = raiseAlert("<n2@evil.example>", "Invoice two");
            assertTrue("two incidents", first != second);

            JsonNode quarantined =
                    finished("/responses/quarantine", "{\"incident_ids\":[" + first + "," + second + "]}");
            assertEquals(
                    quarantined.toString(),
                    4,
                    quarantined.get("progress").get("succeeded").asInt());
            JsonNode undone = finished(
                    "/responses/undo",
                    "{\"incident_ids\":[" + first + "," + second + "],\"template\":\"acme:undo-quarantine\"}");
            assertEquals(
                    undone.toString(),
                    4,
                    undone.get("progress").get("succeeded").asInt());

            await(Duration.ofSeconds(120), () -> assertEquals(2, smtp.getReceivedMessages().length));
            Thread.sleep(2_000);
            MimeMessage[] received = smtp.getReceivedMessages();
            assertEquals("one notice per user, none for the quarantine that named no template", 2, received.length);
            List<String> told = new ArrayList<>();
            for (MimeMessage notice : received) {
                told.add(notice.getRecipients(Message.RecipientType.TO)[0].toString());
                assertTrue(notice.getSubject(), notice.getSubject().endsWith("Acme: 2 message(s) back"));
                String text = NotificationIT.part(notice, "text/plain");
                assertTrue(text, text.contains("* Invoice one") && text.contains("* Invoice two"));
            }
            told.sort(String::compareTo);
            assertEquals(List.of("gina@corp.example", "hank@corp.example"), told);

            JsonNode incident = JSON.readTree(http("GET", API + "/incidents/" + first, null, "Authorization", admin)
                    .body());
            assertTrue(incident.toString(), incident.get("notified").toString().contains("gina@corp.example"));
        } finally {
            smtp.stop();
            dovecot.close();
        }
    }
}
