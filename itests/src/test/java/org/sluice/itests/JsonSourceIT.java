package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import javax.net.ssl.SSLSocket;
import javax.sql.DataSource;
import org.apache.karaf.features.FeaturesService;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.Role;
import org.sluice.boot.SecretBox;

/**
 * The JSON alert source end to end: posting, bad input, the PTR corpus, and the plugin coming and going while both
 * APIs keep answering.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JsonSourceIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEATURE = "sluice-source-json";
    private static final String EVENTS = "/threat/json_event/events/";

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

    @Inject
    private IncidentService incidents;

    @Inject
    private ApiKeyService apiKeys;

    @Inject
    private DataSource dataSource;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void aPostedEventBecomesAnAlertAndEventsWithTheSameLinkValueShareAnIncident() throws Exception {
        String id = createSource("soar-link");
        String event = "{\"json_version\":\"2.0\",\"summary\":\"Beacon seen\",\"severity\":\"major\","
                + "\"link_attribute\":\"attacker_ip_address\",\"attacker\":{\"ip_address\":\"203.0.113.77\"},"
                + "\"vendor_field\":{\"k\":[1,2]}}";

        HttpResult first = post(id, event, "Authorization", "Bearer certainly-not-a-key");
        HttpResult second = post(id, event.replace("Beacon seen", "Beacon again"));

        assertEquals(first.body(), 201, first.status());
        assertEquals(second.body(), 201, second.status());
        JsonNode one = JSON.readTree(first.body());
        JsonNode two = JSON.readTree(second.body());
        assertTrue(one.get("incident_created").asBoolean());
        assertFalse(two.get("incident_created").asBoolean());
        assertEquals(one.get("incident_id").asLong(), two.get("incident_id").asLong());
        Alert alert = incidents.alert(one.get("alert_id").asLong()).orElseThrow();
        assertEquals("json", alert.sourceType());
        assertEquals("Beacon seen", alert.summary());
        assertTrue(String.valueOf(alert.data()), alert.data().containsKey("vendor_field"));
        assertFalse(
                "the source id leaked into the alert",
                String.valueOf(alert.data()).contains(id));
    }

    @Test
    public void badInputIsRefusedNamingTheProblemAndStoresNothing() throws Exception {
        String id = createSource("soar-bad");
        assertEquals(201, post(id, "{\"summary\":\"warm-up\"}").status());
        Map<String, Long> before = rowCounts();

        HttpResult malformed = post(id, "{\"summary\": \"unterminated");
        assertEquals(malformed.body(), 400, malformed.status());
        assertTrue(malformed.body(), message(malformed).contains("malformed JSON"));

        HttpResult array = post(id, "[1, 2]");
        assertEquals(400, array.status());
        assertTrue(array.body(), message(array).contains("JSON object"));

        HttpResult wrongType = post(id, "{\"attacker\":{\"ip_address\":[\"1.2.3.4\"]}}");
        assertEquals(400, wrongType.status());
        assertEquals(
                "attacker.ip_address",
                JSON.readTree(wrongType.body()).get("field").asText());

        HttpResult severity = post(id, "{\"severity\":7}");
        assertEquals(400, severity.status());
        assertEquals("severity", JSON.readTree(severity.body()).get("field").asText());

        HttpResult deep = post(id, "{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
        assertEquals(deep.body(), 400, deep.status());

        HttpResult unknown = post("no-such-source-id-000000000000", "{\"summary\":\"x\"}", "Authorization", admin());
        assertEquals(404, unknown.status());
        assertTrue(unknown.body(), message(unknown).contains("no JSON event source"));

        HttpResult get = http("GET", EVENTS + id, null);
        assertEquals(405, get.status());

        assertTrue("the server answered a 10 MB chunked body with " + chunkedStatus(id), is4xx(chunkedStatus(id)));
        assertEquals(200, http("GET", "/sluice/api/v1/health", null).status());

        assertEquals(before, rowCounts());
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        assertFalse("a source id is in karaf.log", Files.readString(log).contains(id));
    }

    @Test
    public void theJsonEventBodiesOfThePtrCorpusAreAccepted() throws Exception {
        Path corpus = Path.of(System.getProperty("sluice.itest.corpus", ""), "ptr-api", "requests_examples.json");
        if (!Files.isRegularFile(corpus)) {
            System.err.println("SKIPPED: the PTR corpus is not at " + corpus);
        }
        Assume.assumeTrue("the PTR corpus is not at " + corpus, Files.isRegularFile(corpus));
        String id = createSource("soar-corpus");
        JsonNode examples = JSON.readTree(corpus.toFile());
        int posted = 0;
        for (Map.Entry<String, JsonNode> example : (Iterable<Map.Entry<String, JsonNode>>) examples::fields) {
            if (example.getKey().startsWith("POST /threat/json_event/events/")) {
                HttpResult result = post(id, JSON.writeValueAsString(example.getValue()));
                assertEquals(example.getKey() + ": " + result.body(), 201, result.status());
                posted++;
            }
        }
        assertTrue("no JSON event example in " + corpus, posted > 0);
    }

    @Test
    public void uninstallingTheJsonSourceKeepsBothApisAnsweringAndItsEndpointAnswers503() throws Exception {
        String id = createSource("soar-hotplug");
        assertEquals(201, post(id, "{\"summary\":\"before\"}").status());
        Bundle core = bundle("sluice-core");
        long coreId = core.getBundleId();
        long coreModified = core.getLastModified();
        long restId = bundle("sluice-rest").getBundleId();
        String key = "Bearer "
                + apiKeys.create("hotplug-reader", Role.READ_ONLY, Actor.system("itest"))
                        .secret();

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answers = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> loops = new ArrayList<>();
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        for (String[] request : List.of(
                new String[] {"/sluice/api/v1/incidents", key},
                new String[] {"/sluice/api/v1/health", null},
                new String[] {"/api/incidents?created_after=" + today, key})) {
            Thread loop = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResult result = request[1] == null
                                ? http("GET", request[0], null)
                                : http("GET", request[0], null, "Authorization", request[1]);
                        answers.incrementAndGet();
                        if (result.status() / 100 != 2) {
                            failures.add(request[0] + " -> " + result.status());
                        }
                    } catch (IOException e) {
                        failures.add(request[0] + " -> " + e);
                    }
                }
            });
            loop.start();
            loops.add(loop);
        }
        try {
            features.uninstallFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
            await(
                    Duration.ofSeconds(60),
                    () -> assertTrue(plugins.eventReceiver("json").isEmpty()));
            long alerts = count("alert");

            HttpResult gap = post(id, "{\"summary\":\"during the gap\"}");
            assertEquals(gap.body(), 503, gap.status());
            assertTrue(gap.body(), message(gap).contains("JSON alert source is not installed"));
            assertEquals(alerts, count("alert"));

            features.installFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
            await(
                    Duration.ofSeconds(60),
                    () -> assertEquals(201, post(id, "{\"summary\":\"after\"}").status()));
            assertEquals(alerts + 1, count("alert"));
        } finally {
            running.set(false);
            for (Thread loop : loops) {
                loop.join(30_000);
            }
        }

        assertTrue("too few requests during the hot plug: " + answers.get(), answers.get() > 10);
        assertTrue("non-2xx answers during the hot plug: " + failures, failures.isEmpty());
        assertEquals(coreId, bundle("sluice-core").getBundleId());
        assertEquals(coreModified, bundle("sluice-core").getLastModified());
        assertEquals(Bundle.ACTIVE, bundle("sluice-core").getState());
        assertEquals(restId, bundle("sluice-rest").getBundleId());
    }

    /** Creates a JSON event source the way sluice:source-add-json does, and waits until it takes events. */
    private String createSource(String name) throws Exception {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        org.osgi.service.cm.Configuration configuration =
                configs.getFactoryConfiguration("org.sluice.source.json", name, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", name);
        properties.put("sourceId", box.encrypt(id));
        configuration.update(properties);
        await(
                Duration.ofSeconds(30),
                () -> assertTrue(plugins.plugins().stream()
                        .anyMatch(p -> p.kind() == PluginRegistry.Kind.ALERT_SOURCE && name.equals(p.instance()))));
        // The receiver binds the source right after the registry sees it: wait for a 400, which needs the id known.
        await(
                Duration.ofSeconds(30),
                () -> assertEquals(400, post(id, "{\"severity\":false}").status()));
        return id;
    }

    private static HttpResult post(String id, String body, String... headers) throws IOException {
        return http("POST", EVENTS + id, body, headers);
    }

    private static String message(HttpResult result) throws IOException {
        return JSON.readTree(result.body()).get("message").asText();
    }

    private static String admin() throws IOException {
        return basic("admin", adminPassword());
    }

    private static boolean is4xx(int status) {
        return status / 100 == 4;
    }

    /**
     * Sends 10 MB chunked, without Content-Length, on a raw TLS socket, and reads the status line while still
     * sending: the server must answer before the body ends. Returns the status, or -1 when none came.
     */
    private int chunkedStatus(String id) throws Exception {
        javax.net.ssl.SSLSocketFactory factory = pinnedContext().getSocketFactory();
        int port = Integer.parseInt(System.getProperty("sluice.itest.https.port"));
        try (SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + EVENTS + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                chunk[0] = '{';
                try {
                    for (int sent = 0; sent < 10 * 1024 * 1024 && !stop.get(); sent += chunk.length) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        chunk[0] = ' ';
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException expected) {
                    // The server may close the connection once it has answered.
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            stop.set(true);
            writer.join(30_000);
            String[] parts = line.toString().split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }
    }

    private Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs =
                    connection.getMetaData().getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertTrue("no tables found", tables.size() > 3);
            for (String table : tables) {
                counts.put(table, count(connection, table));
            }
        }
        return counts;
    }

    private long count(String table) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return count(connection, table);
        }
    }

    private static long count(Connection connection, String table) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
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
