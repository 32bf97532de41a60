package org.sluice.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.After;
import org.junit.Test;
import org.sluice.fakes.graph.FakeGraphLimits;
import org.sluice.fakes.graph.FakeGraphServer;
import org.sluice.fakes.graph.FakeMessage;
import org.sluice.itests.harness.Poll;
import org.sluice.itests.harness.SluiceProcess;

/**
 * A quarantine campaign over 1,000 Exchange Online mailboxes (the fake Graph service in this JVM, reached by the real
 * distribution running as an external process) survives SIGKILLs at the steps where a crash could lose or repeat
 * work: right after a job was claimed ({@code queue.after-claim}), while the provider holds a permanent delete open
 * that it has already carried out, after the provider answered a removal and before the vault entry says so ({@code
 * quarantine.after-remove}), and after an attempt ended and before its outcome is recorded ({@code
 * queue.before-record}). The undo that follows is killed once right after a copy was put back ({@code
 * quarantine.after-reinsert}).
 *
 * <p>After the last restart: every copy was permanently deleted exactly once, the vault holds each copy's bytes
 * (undo puts back byte-identical copies, two copies of one message in one folder both), the compatible results carry
 * each copy's read state, every attempt is in the history and the killed ones show as taken over, and the fake saw no
 * request over its limits and none before a Retry-After.
 */
public class QuarantineCrashIT {

    private static final int MAILBOXES = Integer.getInteger("sluice.itest.crash.mailboxes", 1000);
    /** Every {@value}th mailbox holds a second copy of the message in its Inbox. */
    private static final int TWICE_EVERY = 10;
    /** Every {@value}th mailbox's first copy has been read by its user. */
    private static final int READ_EVERY = 3;

    private static final int LEASE_SECONDS = 8;
    private static final String TENANT = "crash-tenant";
    private static final String CLIENT = "crash-client";
    private static final String SECRET = "crash-secret-5550123";
    private static final String MESSAGE_ID = "crash-campaign-1@evil.test";
    private static final byte[] MIME = ("From: Mallory <mallory@evil.test>\r\nTo: staff@contoso.test\r\n"
                    + "Subject: Payroll update\r\nMessage-ID: <" + MESSAGE_ID + ">\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain\r\n\r\nPlease log in at hxxp://evil.test/ now.\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private static final ObjectMapper JSON = new ObjectMapper();

    private SluiceProcess server;
    private FakeGraphServer fake;
    private HttpClient http;
    private String adminPassword;
    private final Map<String, Long> timings = new LinkedHashMap<>();

    @After
    public void stop() {
        if (fake != null) {
            fake.releaseHeld();
        }
        if (server != null) {
            server.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    public void campaignKilledAtEveryRiskyStepEndsWithEachCopyOnceInTheRightState() throws Exception {
        long testStarted = System.nanoTime();
        String db = System.getProperty("sluice.itest.db", "h2");
        fake = FakeGraphServer.start(FakeGraphLimits.exchangeOnline());
        fake.registerApp(CLIENT, SECRET);
        Map<String, List<FakeMessage>> planted = new LinkedHashMap<>();
        Map<String, Boolean> readState = new HashMap<>();
        for (int i = 0; i < MAILBOXES; i++) {
            String mailbox = String.format(Locale.ROOT, "user%04d@contoso.test", i);
            List<FakeMessage> copies = new ArrayList<>();
            copies.add(fake.deliver(mailbox, "inbox", MIME, Instant.now()));
            if (i % TWICE_EVERY == 0) {
                copies.add(fake.deliver(mailbox, "inbox", MIME, Instant.now()));
            }
            if (i % READ_EVERY == 0) {
                fake.setRead(copies.get(0), true);
            }
            for (FakeMessage copy : copies) {
                readState.put(copy.immutableId(), copy.read());
            }
            planted.put(mailbox, copies);
        }
        int copyCount = planted.values().stream().mapToInt(List::size).sum();

        server = SluiceProcess.unpack("quarantine-crash-" + db);
        if (db.equals("postgresql")) {
            server.usePostgres(
                    SluiceTestSupport.createPostgresDatabase(),
                    System.getProperty("sluice.itest.pg.user"),
                    System.getProperty("sluice.itest.pg.password"));
        }
        server.set("etc/org.sluice.queue.cfg", "workerThreads", "4")
                .set("etc/org.sluice.queue.cfg", "pollIntervalMillis", "100")
                .set("etc/org.sluice.queue.cfg", "leaseSeconds", String.valueOf(LEASE_SECONDS))
                .set("etc/org.sluice.queue.cfg", "callTimeoutSeconds", "6");
        String graph = "etc/org.sluice.connector.graph-crash.cfg";
        server.set(graph, "instanceId", "crash")
                .set(graph, "tenantId", TENANT)
                .set(graph, "clientId", CLIENT)
                .set(graph, ".clientSecret", SECRET)
                .set(graph, "graphBaseUrl", fake.baseUrl())
                .set(graph, "tokenEndpoint", fake.tokenEndpoint(TENANT))
                .set(graph, "removalMode", "HARD_DELETE")
                .set(graph, "timeoutSeconds", "10");
        http = trustingClient();

        // Run 1: set up, start the campaign, die right after the 100th claim.
        server.crashPoints("queue.after-claim@100");
        startServer("start 1");
        adminPassword = Files.readString(server.home().resolve("data/sluice/initial-admin-password"))
                .strip();
        server.shell("feature:install sluice-connector-graph");
        Poll.until(
                Duration.ofSeconds(90),
                () -> server.shell("service:list org.sluice.api.mailbox.MailboxConnector | grep instanceId")
                        .contains("crash"));
        api("PUT", "/sluice/api/v1/settings", "{\"domains.internal\":\"contoso.test\",\"quarantine.max_attempts\":20}");
        long incident = createIncident(planted.keySet());
        JsonNode request = api("POST", "/sluice/api/v1/incidents/" + incident + "/quarantine", "{}");
        long requestId = request.get("id").asLong();
        List<Long> jobs = ids(request.get("job_ids"));
        assertEquals(MAILBOXES, jobs.size());
        kill("after-claim", "queue.after-claim", requestId);

        // Run 2: the fake deletes the 100th message but holds its answer; the server dies waiting for it.
        server.crashPoints(null);
        fake.holdPermanentDelete(100);
        startServer("start 2");
        long waitStarted = System.nanoTime();
        String held = fake.awaitHeld(Duration.ofMinutes(3));
        assertNotNull("no permanent delete was held\n" + server.consoleTail(), held);
        timings.put("run to held delete", millisSince(waitStarted));
        assertFalse("killed with work left", finished(requestId));
        server.kill();
        fake.releaseHeld();
        assertEquals("the held delete took effect", 1, fake.permanentDeletes(held));

        // Run 3 and 4: after the provider removed a copy, before the vault says so; before an outcome is recorded.
        server.crashPoints("quarantine.after-remove@100");
        startServer("start 3");
        kill("after-remove", "quarantine.after-remove", requestId);
        server.crashPoints("queue.before-record@100");
        startServer("start 4");
        kill("before-record", "queue.before-record", requestId);

        server.crashPoints(null);
        startServer("start 5");
        long finishing = System.nanoTime();
        uninstallMidCampaignAndReinstall(requestId);
        Poll.until(Duration.ofMinutes(5), () -> finished(requestId));
        timings.put("rest of the quarantine after the last restart", millisSince(finishing));

        JsonNode progress = api("GET", "/sluice/api/v1/responses/" + requestId, null);
        assertEquals(
                progress.toString(),
                MAILBOXES,
                progress.get("progress").get("succeeded").asLong());
        for (Map.Entry<String, List<FakeMessage>> mailbox : planted.entrySet()) {
            String purges =
                    fake.folderId(mailbox.getKey(), "recoverableitemspurges").orElseThrow();
            for (FakeMessage copy : mailbox.getValue()) {
                assertEquals(
                        "copy " + copy.immutableId() + " of " + mailbox.getKey() + " deleted exactly once",
                        1,
                        fake.permanentDeletes(copy.immutableId()));
                assertEquals(purges, copy.folderId());
            }
        }
        JsonNode results = api("GET", "/sluice/api/v1/incidents/" + incident + "/quarantine-results", null);
        assertEquals("one vault entry per copy", copyCount, results.size());
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(MIME));
        Set<String> providerIds = new HashSet<>();
        for (JsonNode entry : results) {
            assertEquals(entry.toString(), "quarantined", entry.get("status").asText());
            assertEquals(
                    "the vault holds the delivered bytes",
                    sha,
                    entry.get("raw_sha256").asText());
            String providerId = entry.get("provider_id").asText();
            assertTrue("each copy vaulted once: " + providerId, providerIds.add(providerId));
            assertEquals(readState.get(providerId), entry.get("read").asBoolean());
        }
        checkCompatibleReadState(incident, readState);
        int takenOver = checkAttemptHistory(jobs, 4);

        // The undo, killed once right after a copy was put back and before that was recorded.
        server.crashPoints("quarantine.after-reinsert@150");
        server.kill();
        startServer("start 6");
        JsonNode undo = api("POST", "/sluice/api/v1/incidents/" + incident + "/undo", "{}");
        long undoId = undo.get("id").asLong();
        List<Long> undoJobs = ids(undo.get("job_ids"));
        assertEquals(copyCount, undoJobs.size());
        kill("undo after-reinsert", "quarantine.after-reinsert", undoId);
        server.crashPoints(null);
        startServer("start 7");
        finishing = System.nanoTime();
        Poll.until(Duration.ofMinutes(5), () -> finished(undoId));
        timings.put("rest of the undo after the restart", millisSince(finishing));

        JsonNode undone = api("GET", "/sluice/api/v1/responses/" + undoId, null);
        assertEquals(
                undone.toString(),
                copyCount,
                undone.get("progress").get("succeeded").asLong());
        for (Map.Entry<String, List<FakeMessage>> mailbox : planted.entrySet()) {
            List<FakeMessage> inbox = fake.messages(mailbox.getKey(), "inbox");
            assertEquals(
                    "each copy of " + mailbox.getKey() + " put back once",
                    mailbox.getValue().size(),
                    inbox.size());
            for (FakeMessage back : inbox) {
                assertArrayEquals(MIME, back.mime());
            }
        }
        Set<String> restoredIds = new HashSet<>();
        for (JsonNode entry : api("GET", "/sluice/api/v1/incidents/" + incident + "/quarantine-results", null)) {
            assertEquals(entry.toString(), "restored", entry.get("status").asText());
            assertTrue(
                    entry.toString(),
                    restoredIds.add(entry.get("restored_provider_id").asText()));
        }
        takenOver += checkAttemptHistory(undoJobs, 1);

        FakeGraphServer.Stats stats = fake.stats();
        assertEquals("requests over the fake's limits", 0, stats.limitViolations());
        assertEquals("requests before a Retry-After elapsed", 0, stats.earlyRequests());
        timings.put("whole test", millisSince(testStarted));
        System.out.println("QuarantineCrashIT (" + db + ", " + MAILBOXES + " mailboxes, " + copyCount + " copies): "
                + takenOver + " attempts taken over; Graph requests " + stats.requests() + "; timings (ms) "
                + timings);
    }

    // ---- steps ----

    private void startServer(String what) throws Exception {
        long started = System.nanoTime();
        server.start();
        server.awaitHealthy(Duration.ofMinutes(3));
        timings.put(what, millisSince(started));
    }

    /** Waits for the armed crash point, checks that work is left, and SIGKILLs the server. */
    private void kill(String what, String point, long requestId) throws Exception {
        long started = System.nanoTime();
        server.awaitCrashPoint(point, Duration.ofMinutes(3));
        timings.put("run to " + what, millisSince(started));
        assertFalse("killed with work left", finished(requestId));
        server.kill();
    }

    /**
     * With the campaign under way, uninstalls the Graph connector's feature: the work left waits in the queue (nothing
     * fails, nothing more succeeds) until the feature is installed again.
     */
    private void uninstallMidCampaignAndReinstall(long requestId) throws Exception {
        long atStart = progress(requestId, "succeeded");
        Poll.until(Duration.ofMinutes(3), () -> progress(requestId, "succeeded") >= atStart + 50);
        server.shell("feature:uninstall sluice-connector-graph");
        long uninstalled = System.nanoTime();
        Poll.until(
                Duration.ofSeconds(60),
                () -> !server.shell("service:list org.sluice.api.mailbox.MailboxConnector | grep instanceId")
                        .contains("crash"));
        // Attempts running at the uninstall end within the call timeout; then nothing moves.
        Thread.sleep(7_000);
        long waiting = progress(requestId, "succeeded");
        Thread.sleep(4_000);
        assertEquals("nothing succeeds without the connector", waiting, progress(requestId, "succeeded"));
        assertEquals("nothing fails without the connector", 0, progress(requestId, "failed"));
        assertTrue("work is left waiting", progress(requestId, "queued") + progress(requestId, "running") > 0);
        assertFalse(finished(requestId));
        server.shell("feature:install sluice-connector-graph");
        timings.put("feature uninstalled mid-campaign", millisSince(uninstalled));
        Poll.until(Duration.ofMinutes(2), () -> progress(requestId, "succeeded") > waiting);
    }

    private long progress(long requestId, String state) throws Exception {
        JsonNode progress =
                api("GET", "/sluice/api/v1/responses/" + requestId, null).get("progress");
        return progress.has(state) ? progress.get(state).asLong() : 0;
    }

    private boolean finished(long requestId) throws Exception {
        return api("GET", "/sluice/api/v1/responses/" + requestId, null)
                .get("finished")
                .asBoolean();
    }

    /** One incident whose alert names the message and every mailbox as a recipient, through a JSON alert source. */
    private long createIncident(Set<String> mailboxes) throws Exception {
        String created = server.shell("sluice:source-add-json crash-test");
        int at = created.indexOf("/threat/json_event/events/");
        assertTrue(created, at > 0);
        String path = created.substring(at).strip().split("\\s")[0];
        ObjectNode event = JSON.createObjectNode();
        event.put("json_version", "2.0");
        event.put("summary", "Payroll phish");
        ObjectNode email = event.putObject("email");
        email.put("message_id", "<" + MESSAGE_ID + ">");
        email.put("sender", "mallory@evil.test");
        email.put("subject", "Payroll update");
        ArrayNode to = email.putArray("to");
        mailboxes.forEach(to::add);
        JsonNode answer = api("POST", path, JSON.writeValueAsString(event));
        return answer.get("incident_id").asLong();
    }

    /** The compatible API's {@code isRead} of every copy is the read state the mailbox had. */
    private void checkCompatibleReadState(long incident, Map<String, Boolean> readState) throws Exception {
        JsonNode key = api("POST", "/sluice/api/v1/api-keys", "{\"name\":\"crash-compat\",\"role\":\"analyst\"}");
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/incidents/" + incident + ".json"))
                        .header("Authorization", key.get("key").asText())
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(answer.body(), 200, answer.statusCode());
        JsonNode results = JSON.readTree(answer.body()).get("quarantine_results");
        long read = readState.values().stream().filter(Boolean::booleanValue).count();
        long shownRead = 0;
        for (JsonNode r : results) {
            assertTrue(r.toString(), r.get("isRead").isTextual());
            if (r.get("isRead").asText().equals("true")) {
                shownRead++;
            }
        }
        assertEquals(readState.size(), results.size());
        assertTrue("some copies were read", read > 0);
        assertEquals("copies shown as read", read, shownRead);
    }

    /**
     * Every job's attempts are all recorded, numbered 1 to n with nothing missing, and at least {@code minTakenOver}
     * of them, over all jobs, were taken over after the node running them died.
     *
     * @return how many attempts were taken over
     */
    private int checkAttemptHistory(List<Long> jobs, int minTakenOver) throws Exception {
        // A job's own page lists its attempts under "attempts"; the job list gives the attempt count.
        Map<Long, Integer> counts = new HashMap<>();
        for (int offset = 0; ; offset += 500) {
            JsonNode page = api("GET", "/sluice/api/v1/jobs?state=succeeded&offset=" + offset + "&limit=500", null);
            page.get("items")
                    .forEach(j ->
                            counts.put(j.get("id").asLong(), j.get("attempts").asInt()));
            if (page.get("items").size() < 500) {
                break;
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int takenOver = 0;
        Set<String> nodes = new HashSet<>();
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (long job : jobs) {
                answers.add(pool.submit(() -> api("GET", "/sluice/api/v1/jobs/" + job, null)));
            }
            for (Future<JsonNode> future : answers) {
                JsonNode job = future.get();
                JsonNode attempts = job.get("attempts");
                assertEquals(job.toString(), "succeeded", job.get("state").asText());
                // Every attempt 1..n has its row. An attempt that outlived its lease (on a slow machine) has two: the
                // taken-over row written by the claim that took the job, and its own, recorded late.
                int count = counts.get(job.get("id").asLong());
                Map<Integer, List<JsonNode>> byNumber = new HashMap<>();
                boolean succeeded = false;
                for (JsonNode attempt : attempts) {
                    byNumber.computeIfAbsent(attempt.get("number").asInt(), n -> new ArrayList<>())
                            .add(attempt);
                    nodes.add(attempt.get("node").asText());
                    String status = attempt.get("status").asText();
                    succeeded |= status.equals("done") || status.equals("already-done");
                }
                assertEquals("every attempt recorded: " + job, count, byNumber.size());
                for (int n = 1; n <= count; n++) {
                    List<JsonNode> rows = byNumber.get(n);
                    assertNotNull("attempt " + n + " recorded: " + job, rows);
                    long over = rows.stream()
                            .filter(a -> a.get("detail").asText().startsWith("taken over"))
                            .count();
                    assertTrue(job.toString(), rows.size() == 1 || (rows.size() == 2 && over == 1));
                    takenOver += (int) over;
                }
                assertTrue(job.toString(), succeeded);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue("attempts taken over after a kill: " + takenOver, takenOver >= minTakenOver);
        assertTrue("attempts by more than one process: " + nodes, nodes.size() >= 2);
        return takenOver;
    }

    // ---- HTTP ----

    private String base() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    private JsonNode api(String method, String path, String body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(60))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)));
        if (body == null) {
            builder.GET();
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> answer = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    }

    /** A client for the process this test started on loopback, which serves its self-signed first-start certificate. */
    private static HttpClient trustingClient() throws GeneralSecurityException {
        // An extended trust manager, so that JSSE adds no host name check of its own.
        X509ExtendedTrustManager any = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, null);
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm(null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
