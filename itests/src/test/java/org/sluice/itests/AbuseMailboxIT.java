package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.clear.Disposition;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentQuery;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.SettingsService;
import org.sluice.api.source.SourceHealth;
import org.sluice.boot.SecretBox;
import org.sluice.itests.imap.Dovecot;
import org.sluice.itests.imap.MiniImap;

/**
 * The abuse-mailbox source end to end against a real Dovecot started by the test: reports (real phishing samples from
 * the shared corpus and a crafted malware mail, each attached as {@code message/rfc822}) delivered into the abuse
 * mailbox become incidents with disposition, severity and explanation and end in the processed folder; a report with
 * a forged internal reporter is filed flagged and triggers no quarantine, while the same kind of report from an
 * authenticated reporter does; the source's health follows the mailbox; and the plugin comes and goes while the core
 * runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AbuseMailboxIT extends SluiceTestSupport {

    private static final String CONNECTOR = "abuse-imap";
    private static final String SOURCE = "abuse-it";
    private static final String ABUSE = "abuse@corp.example";
    private static final String FEATURE = "sluice-source-clear";
    private static final Actor ITEST = Actor.system("abuse-it");

    private static Dovecot dovecot;

    @Inject
    private ConfigurationAdmin configs;

    @Inject
    private SecretBox box;

    @Inject
    private PluginRegistry plugins;

    @Inject
    private IncidentService incidents;

    @Inject
    private QuarantineService quarantine;

    @Inject
    private SettingsService settings;

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    /** Starts Dovecot and configures the connector, the settings and the abuse mailbox, once per container. */
    private synchronized void setUp() throws Exception {
        Dovecot.assumeInstalled();
        if (dovecot != null) {
            return;
        }
        dovecot = Dovecot.start(List.of(ABUSE, "alice@corp.example", "bob@corp.example"), "m-" + UUID.randomUUID());
        configs.getFactoryConfiguration("org.sluice.connector.imap", CONNECTOR, "?")
                .update(dovecot.masterConnector(CONNECTOR, box.encrypt(dovecot.masterPassword())));
        settings.update(
                Map.of(
                        "domains.internal",
                        List.of("corp.example"),
                        "mailbox.routes",
                        List.of("corp.example=" + CONNECTOR),
                        "clear.policy.malicious.quarantine",
                        true,
                        "clear.policy.quarantine_cap",
                        10,
                        "quarantine.not_found_window_minutes",
                        0),
                ITEST);
        Hashtable<String, Object> source = new Hashtable<>();
        source.put("name", SOURCE);
        source.put("connector", CONNECTOR);
        source.put("mailbox", ABUSE);
        source.put("poll.seconds", 1);
        source.put("max.backoff.seconds", 4);
        configs.getFactoryConfiguration("org.sluice.source.clear", SOURCE, "?").update(source);
        await(Duration.ofSeconds(60), () -> assertEquals(SourceHealth.Status.ONLINE, health()));
    }

    private SourceHealth.Status health() {
        return plugins.plugins().stream()
                .filter(p -> p.kind() == PluginRegistry.Kind.ALERT_SOURCE && SOURCE.equals(p.instance()))
                .map(p -> p.health().status())
                .findFirst()
                .orElse(null);
    }

    private static String passing(String domain) {
        return "Authentication-Results: mx.corp.example; spf=pass smtp.mailfrom=" + domain + "; dkim=pass header.d="
                + domain + "; dmarc=pass header.from=" + domain + "\r\n";
    }

    /** A report as a mail client's "report phishing" button sends it: a note and the message attached as rfc822. */
    private static byte[] report(String reporter, String authenticationResults, byte[] reported) {
        String head = authenticationResults
                + "Received: from client.corp.example (client.corp.example [10.1.2.3]) by mx.corp.example"
                + " with ESMTPSA id r" + System.nanoTime() + "; Fri, 04 Dec 2026 09:00:00 +0000\r\n"
                + "From: <" + reporter + ">\r\nTo: " + ABUSE + "\r\nSubject: Phishing report\r\n"
                + "Date: Fri, 04 Dec 2026 09:00:00 +0000\r\nMessage-ID: <report." + UUID.randomUUID()
                + "@corp.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"rep-boundary\"\r\n\r\n"
                + "--rep-boundary\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThis looks like phishing.\r\n"
                + "--rep-boundary\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment;"
                + " filename=\"reported.eml\"\r\n\r\n";
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        byte[] end = "\r\n--rep-boundary--\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[start.length + reported.length + end.length];
        System.arraycopy(start, 0, out, 0, start.length);
        System.arraycopy(reported, 0, out, start.length, reported.length);
        System.arraycopy(end, 0, out, start.length + reported.length, end.length);
        return out;
    }

    /** A malware mail to alice from outside: an executable attachment (the default ruleset calls it Malicious). */
    private static byte[] malware(String messageId) {
        String exe = Base64.getMimeEncoder().encodeToString("MZ not really a program".getBytes(StandardCharsets.UTF_8));
        return ("Return-Path: <billing@invoices-evil.test>\r\n"
                        + "Authentication-Results: mx.corp.example; spf=fail smtp.mailfrom=invoices-evil.test\r\n"
                        + "From: Billing <billing@invoices-evil.test>\r\nTo: alice@corp.example\r\n"
                        + "Subject: Overdue invoice\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\n"
                        + "Message-ID: <" + messageId + ">\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=\"ph\"\r\n\r\n"
                        + "--ph\r\nContent-Type: text/plain\r\n\r\nPlease pay the attached invoice today.\r\n"
                        + "--ph\r\nContent-Type: application/octet-stream; name=\"invoice.exe\"\r\n"
                        + "Content-Disposition: attachment; filename=\"invoice.exe\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n" + exe + "\r\n--ph--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Every alert of the abuse-mailbox source, by external id. */
    private Map<String, List<Alert>> reportAlerts() {
        Map<String, List<Alert>> out = new HashMap<>();
        int offset = 0;
        while (true) {
            List<Incident> page = incidents
                    .find(new IncidentQuery(null, null, "clear", null, null, null, null, offset, 500))
                    .items();
            for (Incident incident : page) {
                for (Alert alert : incidents.alerts(incident.id())) {
                    if (SOURCE.equals(alert.sourceInstance())) {
                        out.computeIfAbsent(alert.externalId(), k -> new ArrayList<>())
                                .add(alert);
                    }
                }
            }
            if (page.size() < 500) {
                return out;
            }
            offset += 500;
        }
    }

    private static long total(QuarantineService.Counts counts) {
        return counts.successful() + counts.failed() + counts.pending() + counts.notFound();
    }

    /** Up to three phishing samples from the shared corpus, or a loud skip when the corpus is not there. */
    private static List<byte[]> corpusPhish() throws Exception {
        Path dir = Path.of(System.getProperty("sluice.itest.corpus", "../../shared/corpus"), "eml", "phishing_pot");
        if (!Files.isDirectory(dir)) {
            System.err.println("SKIPPED LOUDLY: the shared corpus is not at " + dir);
        }
        Assume.assumeTrue("SKIPPED LOUDLY: the shared corpus is not at " + dir, Files.isDirectory(dir));
        List<byte[]> out = new ArrayList<>();
        for (String name : List.of("sample-1161.eml", "sample-274.eml", "sample-389.eml")) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                out.add(Files.readAllBytes(file));
            }
        }
        Assume.assumeFalse("SKIPPED LOUDLY: no phishing samples in " + dir, out.isEmpty());
        return out;
    }

    @Test
    public void reportsInTheAbuseMailboxBecomeIncidentsAndEndInProcessed() throws Exception {
        setUp();
        List<byte[]> reports = new ArrayList<>();
        for (byte[] phish : corpusPhish()) {
            reports.add(report("alice@corp.example", passing("corp.example"), phish));
        }
        // Alice received two malware mails; she reports the first, someone forging the CEO reports the second.
        byte[] firstMalware = malware("invoice-" + UUID.randomUUID() + "@evil.test");
        byte[] secondMalware = malware("forged-" + UUID.randomUUID() + "@evil.test");
        try (MiniImap alice = dovecot.as("alice@corp.example")) {
            alice.append("INBOX", firstMalware);
            alice.append("INBOX", secondMalware);
        }
        byte[] authenticated = report("alice@corp.example", passing("corp.example"), firstMalware);
        // Forged: From an internal address, but our server's results fail and nothing passes.
        byte[] forged = report(
                "ceo@corp.example",
                "Authentication-Results: mx.corp.example; spf=fail smtp.mailfrom=evil.test; dkim=none;"
                        + " dmarc=fail header.from=corp.example\r\n",
                secondMalware);
        reports.add(authenticated);
        reports.add(forged);
        try (MiniImap abuse = dovecot.as(ABUSE)) {
            for (byte[] report : reports) {
                abuse.append("INBOX", report);
            }
            // The very same report bytes arrive twice (a resend): one report, one alert, both copies processed.
            abuse.append("INBOX", authenticated);
        }

        await(Duration.ofSeconds(90), () -> {
            try (MiniImap abuse = dovecot.as(ABUSE)) {
                assertEquals(0, abuse.messages("INBOX").size());
                assertEquals(reports.size() + 1, abuse.messages("Processed").size());
            }
        });
        try (MiniImap abuse = dovecot.as(ABUSE)) {
            // The processed folder holds the very bytes that were delivered.
            Set<String> processed = new java.util.HashSet<>();
            for (byte[] kept : abuse.messages("Processed").values()) {
                processed.add(sha256(kept));
            }
            for (byte[] report : reports) {
                assertTrue("report kept byte for byte in Processed", processed.contains(sha256(report)));
            }
        }

        Map<String, List<Alert>> alerts = reportAlerts();
        for (byte[] report : reports) {
            List<Alert> filed = alerts.get("report:" + sha256(report));
            assertNotNull("an alert for every report", filed);
            assertEquals("one alert per report", 1, filed.size());
            Alert alert = filed.get(0);
            assertEquals("clear", alert.sourceType());
            assertEquals(alert.data().toString(), "analysed", alert.data().get("status"));
            assertEquals("attached-message", alert.data().get("found_as"));
            Disposition disposition =
                    Disposition.parse(alert.data().get("disposition").toString());
            assertFalse(
                    "an explanation", alert.data().get("explanation").toString().isBlank());
            assertTrue(alert.description(), alert.description().contains("Reporter:"));
            Incident incident = incidents.get(alert.incidentId()).orElseThrow();
            disposition
                    .severity()
                    .ifPresent(expected -> assertTrue(
                            "severity " + incident.severity() + " for " + disposition,
                            incident.severity().atLeast(expected) == incident.severity()));
        }

        Alert good = alerts.get("report:" + sha256(authenticated)).get(0);
        assertEquals(Boolean.TRUE, good.data().get("authenticated"));
        assertEquals("Malicious", good.data().get("disposition"));
        assertEquals("Malicious", incidents.fields(good.incidentId()).get("Abuse Disposition"));
        assertEquals(
                org.sluice.api.incident.Severity.CRITICAL,
                incidents.get(good.incidentId()).orElseThrow().severity());
        assertTrue(incidents.comments(good.incidentId()).stream()
                .anyMatch(c -> c.text().contains("Automatic quarantine")));
        // The policy quarantined Alice's copy of the message she reported, and only that one.
        await(
                Duration.ofSeconds(90),
                () -> assertEquals(
                        quarantine.counts(good.incidentId()).toString(),
                        1,
                        quarantine.counts(good.incidentId()).successful()));
        try (MiniImap alice = dovecot.as("alice@corp.example")) {
            List<String> left = new ArrayList<>();
            for (byte[] kept : alice.messages("INBOX").values()) {
                left.add(sha256(kept));
            }
            assertEquals("the forged report's message is still in Alice's inbox", List.of(sha256(secondMalware)), left);
        }

        Alert flagged = alerts.get("report:" + sha256(forged)).get(0);
        assertEquals(Boolean.FALSE, flagged.data().get("authenticated"));
        assertEquals("Malicious", flagged.data().get("disposition"));
        assertTrue(flagged.summary(), flagged.summary().contains("unauthenticated"));
        assertTrue(
                "no incident field set by a forged reporter",
                incidents.fields(flagged.incidentId()).get("Abuse Disposition") == null
                        || incidents
                                .fields(flagged.incidentId())
                                .get("Abuse Disposition")
                                .isBlank());
        assertEquals("no quarantine for a forged reporter", 0, total(quarantine.counts(flagged.incidentId())));
        assertTrue(incidents.comments(flagged.incidentId()).stream()
                .noneMatch(c -> c.text().contains("Automatic quarantine")));
        assertTrue(incidents.users(flagged.incidentId()).isEmpty());
    }

    @Test
    public void anUnreachableMailboxShowsInHealthAndRecovers() throws Exception {
        setUp();
        org.osgi.service.cm.Configuration source =
                configs.getFactoryConfiguration("org.sluice.source.clear", SOURCE + "-wrong", "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", SOURCE + "-wrong");
        properties.put("connector", CONNECTOR);
        properties.put("mailbox", ABUSE);
        properties.put("inbox.folder", "No such folder");
        properties.put("poll.seconds", 1);
        source.update(properties);
        org.osgi.service.cm.Configuration dead =
                configs.getFactoryConfiguration("org.sluice.connector.imap", "dead-imap", "?");
        try {
            await(
                    Duration.ofSeconds(60),
                    () -> assertEquals(SourceHealth.Status.OFFLINE_CONFIGURATION, healthOf(SOURCE + "-wrong")));
            properties.put("connector", "nobody-configured-this");
            properties.put("inbox.folder", "INBOX");
            source.update(properties);
            await(Duration.ofSeconds(60), () -> {
                PluginRegistry.PluginInfo info = info(SOURCE + "-wrong");
                assertEquals(
                        SourceHealth.Status.OFFLINE_CONFIGURATION, info.health().status());
                assertTrue(info.health().detail(), info.health().detail().contains("nobody-configured-this"));
            });

            // A server that does not answer: a communication problem, retried with back-off.
            Hashtable<String, Object> deadProperties =
                    dovecot.masterConnector("dead-imap", box.encrypt(dovecot.masterPassword()));
            try (java.net.ServerSocket closed =
                    new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                deadProperties.put("port", closed.getLocalPort());
            }
            deadProperties.put("timeout.seconds", 2);
            dead.update(deadProperties);
            properties.put("connector", "dead-imap");
            source.update(properties);
            await(
                    Duration.ofSeconds(60),
                    () -> assertEquals(SourceHealth.Status.OFFLINE_COMMUNICATION, healthOf(SOURCE + "-wrong")));

            // Pointed at a reachable, empty folder it recovers.
            properties.put("connector", CONNECTOR);
            properties.put("inbox.folder", "Archive");
            source.update(properties);
            await(Duration.ofSeconds(60), () -> assertEquals(SourceHealth.Status.ONLINE, healthOf(SOURCE + "-wrong")));
        } finally {
            source.delete();
            dead.delete();
        }
        await(Duration.ofSeconds(60), () -> assertTrue(info(SOURCE + "-wrong") == null));
        assertEquals(SourceHealth.Status.ONLINE, health());
    }

    private PluginRegistry.PluginInfo info(String instance) {
        return plugins.plugins().stream()
                .filter(p -> p.kind() == PluginRegistry.Kind.ALERT_SOURCE && instance.equals(p.instance()))
                .findFirst()
                .orElse(null);
    }

    private SourceHealth.Status healthOf(String instance) {
        PluginRegistry.PluginInfo info = info(instance);
        return info == null ? null : info.health().status();
    }

    @Test
    public void thePluginComesAndGoesWhileTheCoreRuns() throws Exception {
        setUp();
        long core = bundleId("sluice-core");
        features.uninstallFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
        try {
            await(Duration.ofSeconds(60), () -> assertTrue(info(SOURCE) == null));
            byte[] report = report(
                    "bob@corp.example", passing("corp.example"), malware("gap-" + UUID.randomUUID() + "@evil.test"));
            try (MiniImap abuse = dovecot.as(ABUSE)) {
                abuse.append("INBOX", report);
            }
            Thread.sleep(3_000);
            try (MiniImap abuse = dovecot.as(ABUSE)) {
                assertEquals(
                        "nobody polls while the plugin is out",
                        1,
                        abuse.messages("INBOX").size());
            }
            features.installFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
            await(Duration.ofSeconds(90), () -> {
                try (MiniImap abuse = dovecot.as(ABUSE)) {
                    assertEquals(0, abuse.messages("INBOX").size());
                }
            });
            assertEquals(1, reportAlerts().get("report:" + sha256(report)).size());
        } finally {
            if (!features.isInstalled(features.getFeature(FEATURE))) {
                features.installFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
            }
        }
        assertEquals("the core was not restarted", core, bundleId("sluice-core"));
    }

    @Inject
    private org.osgi.framework.BundleContext context;

    private long bundleId(String symbolicName) {
        for (org.osgi.framework.Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle.getBundleId();
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
