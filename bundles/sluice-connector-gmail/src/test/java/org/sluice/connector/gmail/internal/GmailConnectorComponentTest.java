package org.sluice.connector.gmail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.connector.gmail.fake.FakeGmailServer;
import org.sluice.connector.gmail.fake.FakeServiceAccount;

/** Configuration of an instance, its service registration, and the daily-limit pause in its service properties. */
class GmailConnectorComponentTest {

    private static final String USER = "erin@example.com";

    private final FakeServiceAccount account = new FakeServiceAccount("sluice@sluice-test.iam.gserviceaccount.com");
    private final List<Dictionary<String, ?>> published = new ArrayList<>();
    private final List<Object> services = new ArrayList<>();
    private FakeGmailServer fake;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeGmailServer(account.clientEmail(), account.publicKey()).start();
        fake.addUser(USER);
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    @Test
    void aKeyFileInstanceRegistersItsConnectorAndPublishesAPauseAsServiceProperties() throws Exception {
        Path key = dir.resolve("key.json");
        Files.writeString(key, account.keyJson(fake.tokenUri()));
        Map<String, Object> values = new HashMap<>();
        values.put("name", "workspace");
        values.put("serviceAccountKeyFile", key.toString());
        values.put("rootUrl", fake.rootUrl());

        new GmailConnectorComponent(context(), config(values));
        MailboxConnector connector = (MailboxConnector) services.get(0);
        fake.inject(USER, FakeGmailServer.Fault.DAILY_LIMIT, null);
        ResponseOutcome outcome = connector.remove(new MailboxCopy(USER, "INBOX", "1", null));

        assertEquals("gmail", connector.type());
        assertEquals("workspace", connector.instanceId());
        assertEquals("gmail", published.get(0).get(MailboxConnector.TYPE_PROPERTY));
        assertEquals("workspace", published.get(0).get(GmailConnectorComponent.INSTANCE_PROPERTY));
        assertEquals("online", published.get(0).get(GmailConnectorComponent.HEALTH_PROPERTY));
        assertNull(published.get(0).get(GmailConnectorComponent.PAUSED_UNTIL_PROPERTY));
        assertEquals(ResponseOutcome.Status.RETRYABLE, outcome.status());
        Dictionary<String, ?> paused = published.get(published.size() - 1);
        assertEquals("paused", paused.get(GmailConnectorComponent.HEALTH_PROPERTY));
        assertTrue(Instant.parse((String) paused.get(GmailConnectorComponent.PAUSED_UNTIL_PROPERTY))
                .isAfter(Instant.now()));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() throws Exception {
        String json = account.keyJson(fake.tokenUri());
        Path key = dir.resolve("key.json");
        Files.writeString(key, json);

        assertRefused("name is required", Map.of("serviceAccountKey", json, "rootUrl", fake.rootUrl()));
        assertRefused(
                "serviceAccountKeyFile or serviceAccountKey is required",
                Map.of("name", "n", "rootUrl", fake.rootUrl()));
        assertRefused(
                "not both",
                Map.of(
                        "name",
                        "n",
                        "serviceAccountKey",
                        json,
                        "serviceAccountKeyFile",
                        key.toString(),
                        "rootUrl",
                        fake.rootUrl()));
        assertRefused(
                "is not a readable file",
                Map.of(
                        "name",
                        "n",
                        "serviceAccountKeyFile",
                        dir.resolve("missing.json").toString(),
                        "rootUrl",
                        fake.rootUrl()));
        assertRefused("rootUrl is required", Map.of("name", "n", "serviceAccountKey", json));
        assertRefused(
                "rootUrl must be an http(s) URL",
                Map.of("name", "n", "serviceAccountKey", json, "rootUrl", "ftp://x/"));
        assertRefused(
                "removeMode is 'delete' or 'trash'",
                Map.of("name", "n", "serviceAccountKey", json, "rootUrl", fake.rootUrl(), "removeMode", "purge"));
        assertRefused(
                "Gmail connector 'n'",
                Map.of("name", "n", "serviceAccountKey", "{\"type\":\"service_account\"}", "rootUrl", fake.rootUrl()));
        assertTrue(services.isEmpty());
    }

    private void assertRefused(String message, Map<String, Object> values) {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> new GmailConnectorComponent(context(), config(values)));
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
    }

    /** A bundle context that records registrations and property updates. */
    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setProperties")) {
                        published.add(copy((Dictionary<String, ?>) args[0]));
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        services.add(args[1]);
                        published.add(copy((Dictionary<String, ?>) args[2]));
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Dictionary<String, ?> copy(Dictionary<String, ?> source) {
        Hashtable<String, Object> copy = new Hashtable<>();
        for (var keys = source.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            copy.put(key, source.get(key));
        }
        return copy;
    }

    /** The configuration annotation with these values and the defaults for the rest. */
    private static GmailConnectorComponent.Config config(Map<String, Object> values) {
        return (GmailConnectorComponent.Config) Proxy.newProxyInstance(
                GmailConnectorComponentTest.class.getClassLoader(),
                new Class<?>[] {GmailConnectorComponent.Config.class},
                (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    return method.getDefaultValue();
                });
    }
}
