package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;
import org.sluice.api.notify.NotificationService;
import org.sluice.api.notify.NotificationService.Action;
import org.sluice.api.notify.NotificationService.AffectedMessage;
import org.sluice.api.notify.NotificationService.Notice;
import org.sluice.api.notify.NotificationService.Recipient;
import org.sluice.api.notify.NotificationService.TemplateRef;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.Role;
import org.sluice.boot.SecretBox;
import org.sluice.itests.mail.MailServer;

/**
 * Notifications end to end against a real SMTP server (GreenMail over TLS with authentication, started by the test on
 * a free loopback port inside the container): bulk notices to users, their headers and both body formats, hostile
 * message content, the subject prefix, template edits through the API, who was told in the incident activity, and
 * the bound on SOC mail in a burst of alerts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NotificationIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/sluice/api/v1";
    private static final Actor ACTOR = Actor.user("itest", "itest");
    private static final String SMTP_PASSWORD = "gm-" + UUID.randomUUID();
    private static final int SOC_WINDOW_SECONDS = 20;

    private static final Pattern DIGEST = Pattern.compile("Digest: (\\d+) incident changes");

    private static GreenMail smtp;

    @Inject
    private NotificationService notifications;

    @Inject
    private IncidentService incidents;

    @Inject
    private ResponseQueue queue;

    @Inject
    private ConfigurationAdmin configs;

    @Inject
    private SecretBox secrets;

    @Inject
    private ApiKeyService apiKeys;

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(Arrays.asList(distribution()));
        options.addAll(MailServer.options());
        options.add(editConfigurationFilePut("etc/org.sluice.queue.cfg", "pollIntervalMillis", "200"));
        options.add(editConfigurationFilePut(
                "etc/org.sluice.notify.soc.cfg", "window.seconds", String.valueOf(SOC_WINDOW_SECONDS)));
        return options.toArray(new Option[0]);
    }

    /**
     * Starts the mail server once per container and points the SMTP notifier at it, password encrypted. It is never
     * stopped by the test: Pax Exam runs class-level hooks around every method, and the server ends with the container.
     */
    @Before
    public void startMailServer() throws Exception {
        if (smtp != null) {
            return;
        }
        int port = MailServer.port();
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS))
                .withConfiguration(
                        GreenMailConfiguration.aConfig().withUser("sluice@corp.example", "sluice", SMTP_PASSWORD));
        // GreenMail loads its TLS key store as a resource of the context class loader: its own bundle's.
        MailServer.start(server);
        smtp = server;
        configureSmtp();
    }

    private void configureSmtp() throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("host", "127.0.0.1");
        properties.put("port", smtp.getSmtps().getPort());
        properties.put("security", "tls");
        properties.put("ssl.trust", "127.0.0.1");
        properties.put("username", "sluice");
        properties.put("password", secrets.encrypt(SMTP_PASSWORD));
        properties.put("from", "Sluice <sluice@corp.example>");
        configs.getConfiguration("org.sluice.notify.smtp", "?").update(properties);
    }

    @Test
    public void noticesWaitUntouchedWhileNoNotifierIsInstalled() throws Exception {
        long incident = newIncident("no notifier").incidentId();
        String erin = "erin-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        configs.getConfiguration("org.sluice.notify.smtp", "?").delete();
        try {
            Thread.sleep(2_000);
            ResponseJob job = notifications
                    .notifyUsers(
                            new Notice(
                                    null,
                                    Action.UNDO,
                                    List.of(incident),
                                    List.of(new Recipient(
                                            erin,
                                            null,
                                            List.of(new AffectedMessage(
                                                    incident, "Report", "a@b.example", null, null))))),
                            ACTOR)
                    .get(0);
            Thread.sleep(5_000);
            ResponseJob waiting = queue.get(job.id()).orElseThrow();
            assertEquals(JobState.QUEUED, waiting.state());
            assertEquals(0, waiting.attempts());
            assertTrue(mailTo(erin).isEmpty());
        } finally {
            configureSmtp();
        }
        MimeMessage mail = awaitMail(erin, 1).get(0);
        assertEquals("Sluice Threat Response: A message was returned to your mailbox", mail.getSubject());
    }

    @Test
    public void bulkNoticeTellsEachUserOnceAboutAllTheirMessagesAndRecordsWhoWasTold() throws Exception {
        long first = newIncident("Invoice overdue").incidentId();
        long second = newIncident("Payroll update").incidentId();
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        Instant date = Instant.parse("2026-12-01T09:30:00Z");

        List<ResponseJob> jobs = notifications.notifyUsers(
                new Notice(
                        null,
                        Action.QUARANTINE,
                        List.of(first, second),
                        List.of(
                                new Recipient(
                                        alice,
                                        "Alice",
                                        List.of(
                                                new AffectedMessage(
                                                        first, "Invoice overdue", "Billing <b@x.example>", date, null),
                                                new AffectedMessage(
                                                        second, "Payroll update", "HR <hr@y.example>", date, null))),
                                new Recipient(
                                        bob,
                                        null,
                                        List.of(new AffectedMessage(
                                                first, "Invoice overdue", "Billing <b@x.example>", date, null))))),
                ACTOR);
        assertEquals(2, jobs.size());

        MimeMessage toAlice = awaitMail(alice, 1).get(0);
        MimeMessage toBob = awaitMail(bob, 1).get(0);
        assertEquals(alice, ((InternetAddress) toAlice.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress());
        assertEquals(1, toAlice.getAllRecipients().length);
        assertEquals("Sluice Threat Response: 2 messages were removed from your mailbox", toAlice.getSubject());
        assertEquals("Sluice Threat Response: A message was removed from your mailbox", toBob.getSubject());
        assertEquals("sluice@corp.example", ((InternetAddress) toAlice.getFrom()[0]).getAddress());
        String text = part(toAlice, "text/plain");
        String html = part(toAlice, "text/html");
        assertTrue(text, text.contains("Invoice overdue") && text.contains("Payroll update"));
        assertTrue(text, text.contains("2026-12-01 09:30 UTC"));
        assertTrue(html, html.contains("<td>Invoice overdue</td>") && html.contains("<td>Payroll update</td>"));
        ResponseJob aliceJob =
                jobs.stream().filter(j -> j.target().equals(alice)).findFirst().orElseThrow();
        assertTrue(toAlice.getMessageID(), toAlice.getMessageID().startsWith("<" + aliceJob.id() + "."));

        // Who was told, in both incidents' activity as the own API returns it.
        await(Duration.ofSeconds(30), () -> {
            String activity = activity(second);
            assertTrue(activity, activity.contains(alice + " notified of quarantine with template default/quarantine"));
        });
        String activity = activity(first);
        assertTrue(activity, activity.contains(alice) && activity.contains(bob));
        assertTrue(activity, activity.contains("\"user_notified\""));
        JsonNode notified = JSON.readTree(http("GET", API + "/incidents/" + first, null, "Authorization", admin())
                        .body())
                .get("notified");
        assertEquals(notified.toString(), 2, notified.size());
        assertEquals("default/quarantine", notified.get(0).get("template").asText());
        assertEquals("quarantine", notified.get(0).get("action").asText());
        assertNotNull(notified.get(0).get("at").asText());

        // The compatible API carries the same list.
        String key = apiKeys.create("notify-it", Role.ANALYST, ACTOR).secret();
        HttpResult compat = http("GET", "/api/incidents/" + second + ".json", null, "Authorization", key);
        assertEquals(compat.body(), 200, compat.status());
        JsonNode told = JSON.readTree(compat.body()).get("notifications");
        assertEquals(told.toString(), 1, told.size());
        assertEquals(alice, told.get(0).get("user").asText());
        assertEquals("default/quarantine", told.get(0).get("template").asText());
    }

    @Test
    public void hostileMessageContentStaysInertInHeadersAndBodies() throws Exception {
        long incident = newIncident("hostile").incidentId();
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        AffectedMessage hostile = new AffectedMessage(
                incident,
                "Urgent <script>alert(1)</script> {{recipient.address}} {{#messages}}loop{{/messages}}"
                        + " <img src=x onerror=alert(2)>\r\nBcc: everyone@corp.example",
                "\"IT <a href=\"https://phish.example/login\" onmouseover=\"steal()\">Desk</a>\""
                        + " <desk@phish.example>\nX-Injected: yes",
                Instant.now(),
                List.of("https://phish.example/login?next={{recipient.name}}", "http://www.phish.example/a"));

        notifications.notifyUsers(
                new Notice(
                        null,
                        Action.QUARANTINE,
                        List.of(incident),
                        List.of(new Recipient(carol, "Carol", List.of(hostile)))),
                ACTOR);
        MimeMessage mail = awaitMail(carol, 1).get(0);

        assertTrue(mail.getSubject().startsWith("Sluice Threat Response: "));
        assertEquals(null, mail.getHeader("Bcc"));
        assertEquals(null, mail.getHeader("X-Injected"));
        assertEquals(1, mail.getAllRecipients().length);
        String html = part(mail, "text/html");
        String text = part(mail, "text/plain");
        assertFalse(html, html.toLowerCase().contains("<script"));
        assertFalse(
                html,
                Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find());
        assertFalse(
                html,
                Pattern.compile("<a[\\s>]", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find());
        assertFalse(html, html.contains("https://phish") || html.contains("http://www.phish"));
        assertFalse(text, text.contains("https://phish"));
        assertTrue(html, html.contains("hxxps://phish[.]example/login"));
        // Template syntax inside a value is shown as it was, never evaluated.
        assertTrue(html, html.contains("{{recipient.address}}") && html.contains("{{#messages}}loop{{/messages}}"));
        assertFalse(html, html.contains(carol));
        assertTrue(text, text.contains("{{recipient.address}}"));
        assertFalse(text, text.contains("\nBcc:") || text.contains("\nX-Injected"));
    }

    @Test
    public void prefixRemovalAndTemplateEditsThroughTheApiChangeTheNextNotices() throws Exception {
        String admin = basic("admin", adminPassword());
        long incident = newIncident("template edits").incidentId();
        String dave = "dave-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";

        // Invalid templates are refused with the part and line named; nothing is stored.
        HttpResult bad = http(
                "PUT",
                API + "/notifications/templates/default/undo-quarantine",
                "{\"subject\":\"Back\",\"text\":\"ok\",\"html\":\"<p>\\n{{{message.subject}}}</p>\"}",
                "Authorization",
                admin);
        assertEquals(bad.body(), 400, bad.status());
        assertTrue(bad.body(), bad.body().contains("html: line 2: unescaped output"));
        HttpResult unclosed = http(
                "PUT",
                API + "/notifications/templates/default/undo-quarantine",
                "{\"subject\":\"Back\",\"text\":\"{{#messages}}x\"}",
                "Authorization",
                admin);
        assertEquals(unclosed.body(), 400, unclosed.status());
        assertTrue(
                unclosed.body(),
                unclosed.body().contains("text: line 1, column 1: section 'messages' is never closed"));

        // Copy the shipped template into an own set and edit the copy.
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
                "{\"subject\":\"Restored for {{recipient.name}}: {{count}} item(s)\","
                        + "\"text\":\"{{#messages}}* {{subject}}\\n{{/messages}}\","
                        + "\"html\":\"<ul>{{#messages}}<li>{{subject}}</li>{{/messages}}</ul>\"}",
                "Authorization",
                admin);
        assertEquals(edited.body(), 200, edited.status());
        assertEquals(2, JSON.readTree(edited.body()).get("version").asInt());
        JsonNode versions = JSON.readTree(http(
                        "GET",
                        API + "/notifications/templates/acme/undo-quarantine/versions",
                        null,
                        "Authorization",
                        admin)
                .body());
        assertEquals(2, versions.size());
        JsonNode sets = JSON.readTree(http("GET", API + "/notifications/templates", null, "Authorization", admin)
                .body());
        assertTrue(sets.toString(), sets.toString().contains("\"acme\""));

        // Remove the prefix; the subject starts with the template's own words.
        HttpResult prefix =
                http("PUT", API + "/settings", "{\"notifications.subject_prefix\":\"\"}", "Authorization", admin);
        assertEquals(prefix.body(), 200, prefix.status());
        try {
            notifications.notifyUsers(
                    new Notice(
                            new TemplateRef("acme", null),
                            Action.UNDO,
                            List.of(incident),
                            List.of(new Recipient(
                                    dave,
                                    "Dave",
                                    List.of(new AffectedMessage(
                                            incident, "Quarterly numbers", "cfo@corp.example", null, null))))),
                    ACTOR);
            MimeMessage mail = awaitMail(dave, 1).get(0);
            assertEquals("Restored for Dave: 1 item(s)", mail.getSubject());
            assertEquals("* Quarterly numbers\n", part(mail, "text/plain").replace("\r\n", "\n"));
            assertEquals(
                    "<ul><li>Quarterly numbers</li></ul>",
                    part(mail, "text/html").trim());
        } finally {
            http(
                    "PUT",
                    API + "/settings",
                    "{\"notifications.subject_prefix\":\"Sluice Threat Response\"}",
                    "Authorization",
                    admin);
        }
    }

    @Test
    public void aBurstOfTenThousandAlertsYieldsABoundedNumberOfSocMails() throws Exception {
        String admin = basic("admin", adminPassword());
        String soc = "soc-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        HttpResult set = http(
                "PUT",
                API + "/settings",
                "{\"notifications.soc.recipients\":[\"" + soc + "\"],\"notifications.soc.burst_limit\":3}",
                "Authorization",
                admin);
        assertEquals(set.body(), 200, set.status());
        try {
            String key = "burst-" + UUID.randomUUID();
            long started = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                incidents.submitAlert(alert(key, "burst " + i), ACTOR);
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            // At most the burst limit plus one digest per window, for every window the burst touched.
            long windows = seconds / SOC_WINDOW_SECONDS + 2;
            long bound = windows * (3 + 1);

            // Every change is told exactly once, alone or in a digest; the last window's digest goes out when that
            // window ends.
            await(Duration.ofSeconds(SOC_WINDOW_SECONDS + 90), () -> {
                assertEquals("changes told", 10_000, toldChanges(mailTo(soc)));
            });
            Thread.sleep(2_000);
            List<MimeMessage> mails = mailTo(soc);
            assertEquals(10_000, toldChanges(mails));
            assertTrue(mails.size() + " SOC mails for 10,000 alerts, bound " + bound, mails.size() <= bound);
            assertTrue(mails.stream().anyMatch(m -> subject(m).startsWith("Sluice Threat Response: New incident")));
            MimeMessage digest = mails.stream()
                    .filter(m -> subject(m).contains("Digest:"))
                    .findFirst()
                    .orElseThrow();
            String text = part(digest, "text/plain");
            assertTrue(text, text.contains("new alert"));
            assertTrue(text, text.contains("more."));
        } finally {
            http("PUT", API + "/settings", "{\"notifications.soc.recipients\":[]}", "Authorization", admin);
        }
    }

    /** How many incident changes SOC mails told: one per single notice, the stated count per digest. */
    private static long toldChanges(List<MimeMessage> mails) {
        long told = 0;
        for (MimeMessage mail : mails) {
            Matcher digest = DIGEST.matcher(subject(mail));
            told += digest.find() ? Long.parseLong(digest.group(1)) : 1;
        }
        return told;
    }

    private AlertReceipt newIncident(String summary) {
        return incidents.submitAlert(alert("notify-" + UUID.randomUUID(), summary), ACTOR);
    }

    private static NewAlert alert(String key, String summary) {
        return new NewAlert("itest", null, null, key, Severity.HIGH, summary, null, Instant.now(), Map.of(), List.of());
    }

    private static String admin() throws IOException {
        return basic("admin", adminPassword());
    }

    private String activity(long incident) throws Exception {
        HttpResult result =
                http("GET", API + "/incidents/" + incident, null, "Authorization", basic("admin", adminPassword()));
        assertEquals(result.body(), 200, result.status());
        return JSON.readTree(result.body()).get("activity").toString();
    }

    private List<MimeMessage> awaitMail(String recipient, int count) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        await(Duration.ofSeconds(60), () -> {
            found.clear();
            found.addAll(mailTo(recipient));
            if (found.size() != count) {
                StringBuilder jobs = new StringBuilder();
                for (ResponseJob job : queue.list(null, 0, 20).items()) {
                    if (job.target().contains(recipient)) {
                        jobs.append(job.id())
                                .append(' ')
                                .append(job.state())
                                .append(' ')
                                .append(job.lastDetail());
                    }
                }
                assertEquals("mails to " + recipient + " (jobs: " + jobs + ")", count, found.size());
            }
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
        return Collections.unmodifiableList(out);
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded body part of the given type, parsed without the activation framework's handlers. */
    static String part(MimeMessage message, String type) throws Exception {
        return withMailClassLoader(() -> {
            if (message.isMimeType(type)) {
                return read(message.getInputStream());
            }
            MimeMultipart multipart = new MimeMultipart(message.getDataHandler().getDataSource());
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                if (body.isMimeType(type)) {
                    return read(((MimeBodyPart) body).getInputStream());
                }
            }
            throw new AssertionError("no " + type + " part in " + message.getContentType());
        });
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs mail code with the mail bundle as context class loader, where it looks for its providers. */
    private static <T> T withMailClassLoader(java.util.concurrent.Callable<T> work) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(MimeMessage.class.getClassLoader());
        try {
            return work.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
