package org.sluice.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.After;
import org.junit.Test;
import org.sluice.itests.harness.SluiceProcess;

/**
 * End-to-end ingest: JSON events posted by concurrent clients over HTTPS into the real distribution on PostgreSQL,
 * each one validated, linked into an incident, and stored with its activity and audit rows. Beside it, in the same
 * database and run, a raw JDBC batch insert of the same rows shows what the database alone can do; and the cold start
 * of the distribution is timed. Writes a Markdown report ({@code sluice.bench.report}).
 *
 * <p>Sizes come from {@code sluice.bench.events} (CI: 2,000; full size: 100,000) and {@code sluice.bench.clients}
 * (8). Events cycle through one link value per 100 events, so most events join an existing incident.
 */
public class IngestBenchmarkIT {

    private static final int EVENTS = Integer.getInteger("sluice.bench.events", 2_000);
    private static final int CLIENTS = Integer.getInteger("sluice.bench.clients", 8);
    private static final int EVENTS_PER_INCIDENT = 100;
    private static final Pattern URL = Pattern.compile("https://\\S+(/threat/json_event/events/\\S+)");

    private SluiceProcess server;

    @After
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void ingestJsonEventsEndToEndBesideRawJdbc() throws Exception {
        String db = createDatabase();
        String user = System.getProperty("sluice.itest.pg.user");
        String password = System.getProperty("sluice.itest.pg.password");
        server = SluiceProcess.unpack("bench");
        server.usePostgres(db, user, password);

        long coldStart = System.nanoTime();
        server.start();
        server.awaitHealthy(Duration.ofMinutes(3));
        Duration startup = Duration.ofNanos(System.nanoTime() - coldStart);
        String path = createSource();

        HttpClient client = HttpClient.newBuilder()
                .sslContext(trustOwnProcess())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        URI endpoint = URI.create("https://127.0.0.1:" + server.httpsPort() + path);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                for (int n = next.getAndIncrement(); n < EVENTS; n = next.getAndIncrement()) {
                    HttpRequest post = HttpRequest.newBuilder(endpoint)
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(event(n)))
                            .build();
                    HttpResponse<String> answer = client.send(post, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 201) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
        Duration ingest = Duration.ofNanos(System.nanoTime() - started);

        long alerts;
        long incidents;
        Duration jdbc;
        try (Connection connection = DriverManager.getConnection(db, user, password)) {
            alerts = count(connection, "SELECT COUNT(*) FROM alert");
            incidents = count(connection, "SELECT COUNT(*) FROM incident");
            jdbc = rawJdbcInsert(connection);
        }

        assertEquals("events refused", 0, failures.get());
        assertEquals(EVENTS, alerts);
        assertEquals((EVENTS + EVENTS_PER_INCIDENT - 1) / EVENTS_PER_INCIDENT, incidents);
        double endToEnd = EVENTS / seconds(ingest);
        double raw = EVENTS / seconds(jdbc);
        report(startup, ingest, endToEnd, jdbc, raw);
    }

    /** The same rows the server writes per event (alert, activity, audit; one incident per link value). */
    private static Duration rawJdbcInsert(Connection connection) throws Exception {
        long base = 1_000_000_000_000L;
        long now = Instant.now().toEpochMilli();
        connection.setAutoCommit(false);
        long started = System.nanoTime();
        try (PreparedStatement incident = connection.prepareStatement("INSERT INTO incident (id, summary, state,"
                        + " severity, source_type, created_at, updated_at, successful_quarantines, failed_quarantines)"
                        + " VALUES (?, 'baseline', 'NEW', 2, 'baseline', ?, ?, 0, 0)");
                PreparedStatement alert = connection.prepareStatement("INSERT INTO alert (id, incident_id,"
                        + " source_type, severity, summary, occurred_at, received_at, data_json)"
                        + " VALUES (?, ?, 'baseline', 2, 'baseline', ?, ?, ?)");
                PreparedStatement activity = connection.prepareStatement("INSERT INTO incident_activity (id,"
                        + " incident_id, kind, actor, detail, at) VALUES (?, ?, 'alert_linked', 'baseline', 'x', ?)");
                PreparedStatement audit = connection.prepareStatement("INSERT INTO audit_event (id, at, actor_kind,"
                        + " actor, origin, action, target_type, target_id) VALUES (?, ?, 'SYSTEM', 'baseline',"
                        + " 'baseline', 'alert.create', 'alert', ?)")) {
            for (int n = 0; n < EVENTS; n++) {
                long incidentId = base + n / EVENTS_PER_INCIDENT;
                if (n % EVENTS_PER_INCIDENT == 0) {
                    incident.setLong(1, incidentId);
                    incident.setLong(2, now);
                    incident.setLong(3, now);
                    incident.addBatch();
                }
                alert.setLong(1, base + n);
                alert.setLong(2, incidentId);
                alert.setLong(3, now);
                alert.setLong(4, now);
                alert.setString(5, event(n));
                alert.addBatch();
                activity.setLong(1, base + n);
                activity.setLong(2, incidentId);
                activity.setLong(3, now);
                activity.addBatch();
                audit.setLong(1, base + n);
                audit.setLong(2, now);
                audit.setString(3, String.valueOf(base + n));
                audit.addBatch();
                if (n % 1_000 == 999 || n == EVENTS - 1) {
                    incident.executeBatch();
                    alert.executeBatch();
                    activity.executeBatch();
                    audit.executeBatch();
                    connection.commit();
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private String createSource() throws Exception {
        String output = server.shell("sluice:source-add-json benchmark");
        Matcher matcher = URL.matcher(output);
        assertTrue("no URL in: " + output, matcher.find());
        return matcher.group(1);
    }

    private static String event(int n) {
        return "{\"json_version\":\"2.0\",\"summary\":\"benchmark event " + n + "\",\"classification\":\"phish\","
                + "\"severity\":\"major\",\"link_attribute\":\"attacker_ip_address\",\"attacker\":{\"ip_address\":\"10."
                + (n / EVENTS_PER_INCIDENT / 65536 % 256) + "." + (n / EVENTS_PER_INCIDENT / 256 % 256) + "."
                + (n / EVENTS_PER_INCIDENT % 256) + "\"},\"email\":{\"message_id\":\"<bench-" + n + "@example.org>\"}}";
    }

    private void report(Duration startup, Duration ingest, double endToEnd, Duration jdbc, double raw)
            throws Exception {
        String text = String.format(
                Locale.ROOT,
                """
                # Ingest benchmark

                - when: %s
                - events: %d, clients: %d, events per incident: %d
                - database: PostgreSQL (fresh database), distribution on this machine (%d cores)

                | measure | value |
                |---|---|
                | cold start to a healthy API | %.1f s |
                | end to end (HTTPS, validation, linking, alert + activity + audit) | %.0f events/s (%.1f s) |
                | raw JDBC batch insert of the same rows, same database | %.0f events/s (%.1f s) |
                | end to end / raw | %.1f %% |
                """,
                Instant.now(),
                EVENTS,
                CLIENTS,
                EVENTS_PER_INCIDENT,
                Runtime.getRuntime().availableProcessors(),
                seconds(startup),
                endToEnd,
                seconds(ingest),
                raw,
                seconds(jdbc),
                100 * endToEnd / raw);
        Path file = Path.of(System.getProperty("sluice.bench.report", "target/ingest-benchmark.md"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
        System.out.println(text);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String createDatabase() throws Exception {
        String base = System.getProperty("sluice.itest.pg.url");
        String name =
                "sluice_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(
                        base,
                        System.getProperty("sluice.itest.pg.user"),
                        System.getProperty("sluice.itest.pg.password"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return base.substring(0, base.lastIndexOf('/') + 1) + name;
    }

    /** The benchmark talks only to the process it started, on loopback, with its self-signed certificate. */
    private static SSLContext trustOwnProcess() throws Exception {
        X509TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, null);
        return context;
    }
}
