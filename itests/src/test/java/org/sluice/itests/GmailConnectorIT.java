package org.sluice.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.boot.SecretBox;
import org.sluice.connector.gmail.fake.FakeGmailServer;
import org.sluice.connector.gmail.fake.FakeServiceAccount;

/**
 * The Gmail connector plugin in the running distribution: its feature installs without touching the core, its bundle
 * (with the embedded Google client libraries) starts, and a configured instance with an encrypted key finds, reads and
 * removes a message in the fake Gmail server on loopback, and publishes a daily-limit pause as a service property.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GmailConnectorIT extends SluiceTestSupport {

    private static final String FEATURE = "sluice-connector-gmail";
    private static final String PID = "org.sluice.connector.gmail";
    private static final String USER = "carol@example.com";

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private ConfigurationAdmin configs;

    @Inject
    private SecretBox box;

    @Inject
    private PluginRegistry plugins;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void theInstalledConnectorFindsReadsAndRemovesAMessageAndPublishesADailyLimitPause() throws Exception {
        Bundle core = bundle("sluice-core");
        long coreId = core.getBundleId();
        long coreModified = core.getLastModified();
        assertFalse("the connector is not booted", features.isInstalled(features.getFeature(FEATURE)));

        features.installFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
        await(
                Duration.ofSeconds(60),
                () -> assertEquals(Bundle.ACTIVE, bundle(FEATURE).getState()));

        FakeServiceAccount account = new FakeServiceAccount("sluice-it@sluice-test.iam.gserviceaccount.com");
        try (FakeGmailServer fake = new FakeGmailServer(account.clientEmail(), account.publicKey()).start()) {
            fake.addUser(USER);
            byte[] raw = ("From: Mallory <mallory@evil.example>\r\nTo: " + USER + "\r\nSubject: Invoice \"42\" OR *\r\n"
                            + "Message-ID: <it-1@evil.example>\r\nDate: Mon, 30 Nov 2026 10:15:30 +0000\r\n\r\nPay.\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            String id = fake.addMessage(USER, raw, List.of("INBOX", "UNREAD"), Instant.parse("2026-11-30T10:15:30Z"));
            String decoy = fake.addMessage(
                    USER,
                    "Message-ID: <it.1@evil.example>\r\nSubject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8),
                    List.of("INBOX"),
                    Instant.parse("2026-11-30T10:15:31Z"));

            org.osgi.service.cm.Configuration configuration = configs.getFactoryConfiguration(PID, "itest", "?");
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("name", "itest");
            properties.put("serviceAccountKey", box.encrypt(account.keyJson("http://127.0.0.1:9/not-this-one")));
            properties.put("tokenUri", fake.tokenUri());
            properties.put("rootUrl", fake.rootUrl());
            properties.put("maxQuotaWaitSeconds", 0);
            configuration.update(properties);
            try {
                await(
                        Duration.ofSeconds(60),
                        () -> assertTrue(
                                plugins.mailboxConnector("gmail", "itest").isPresent()));
                MailboxConnector gmail =
                        plugins.mailboxConnector("gmail", "itest").orElseThrow();

                List<MailboxCopy> copies =
                        gmail.findCopies(USER, new CopyQuery("it-1@evil.example", null, null, null, null, 5));
                assertEquals(1, copies.size());
                assertEquals(id, copies.get(0).providerId());
                assertEquals("INBOX,UNREAD", copies.get(0).folder());
                try (InputStream in = gmail.openRaw(copies.get(0))) {
                    assertArrayEquals(raw, in.readAllBytes());
                }
                ResponseOutcome removed = gmail.remove(copies.get(0));

                assertEquals(ResponseOutcome.Status.DONE, removed.status());
                List<String> left = fake.messages(USER).stream()
                        .map(FakeGmailServer.StoredMessage::id)
                        .toList();
                assertEquals(List.of(decoy), left);
                assertEquals(0, fake.count("limitViolations"));
                assertEquals(0, fake.count("earlyRequests"));
                assertEquals(0, fake.count("badQuery"));

                fake.inject(USER, FakeGmailServer.Fault.DAILY_LIMIT, null);
                ResponseOutcome paused = gmail.remove(new MailboxCopy(USER, "INBOX", decoy, null));
                assertEquals(ResponseOutcome.Status.RETRYABLE, paused.status());
                assertEquals("403 dailyLimitExceeded", paused.providerStatus());
                ServiceReference<MailboxConnector> reference = connectorReference("itest");
                assertEquals("paused", reference.getProperty("sluice.mailbox.health"));
                assertNotNull(reference.getProperty("sluice.mailbox.paused.until"));
                assertEquals(
                        List.of(decoy),
                        fake.messages(USER).stream()
                                .map(FakeGmailServer.StoredMessage::id)
                                .toList());
            } finally {
                configuration.delete();
            }
        } finally {
            features.uninstallFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
        }

        await(
                Duration.ofSeconds(60),
                () -> assertFalse(plugins.mailboxConnector("gmail", "itest").isPresent()));
        assertEquals(coreId, bundle("sluice-core").getBundleId());
        assertEquals(coreModified, bundle("sluice-core").getLastModified());
        assertEquals(Bundle.ACTIVE, bundle("sluice-core").getState());
    }

    private ServiceReference<MailboxConnector> connectorReference(String instance) throws Exception {
        Collection<ServiceReference<MailboxConnector>> references =
                context.getServiceReferences(MailboxConnector.class, "(sluice.mailbox.instance=" + instance + ")");
        assertEquals(1, references.size());
        return references.iterator().next();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
