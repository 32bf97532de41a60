package org.sluice.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
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
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.Role;
import org.sluice.boot.SecretBox;
import org.sluice.connector.gmail.fake.FakeGmailServer;
import org.sluice.connector.gmail.fake.FakeServiceAccount;
import org.sluice.itests.imap.Dovecot;
import org.sluice.itests.imap.MiniImap;

/**
 * One phishing campaign across all three mailbox connectors at once: a real Dovecot (IMAP), the fake Graph service
 * and the fake Gmail server, each with its own connector instance and {@code mailbox.routes} sending each domain to
 * its instance. The same Message-ID sits in thirty mailboxes, in several folders, twice in some mailboxes, each copy
 * with its own bytes. The fakes answer 429 with Retry-After and 503 to some requests, before and while the quarantine
 * runs. Afterwards every copy is gone, each was removed exactly once, the vault holds each copy's bytes, the
 * compatible API counts them, and neither fake saw a limit violation or a request sent before its Retry-After had
 * passed; undo then puts identical bytes back into each copy's original folder (labels, for Gmail).
 *
 * <p>Two copies of the message in one IMAP folder, in one Graph folder and in one Gmail label set are covered: each
 * is put back once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class QuarantineCampaignIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/sluice/api/v1";
    private static final String IMAP = "campaign-imap";
    private static final String GRAPH = "campaign-graph";
    private static final String GMAIL = "campaign-gmail";
    private static final String MESSAGE_ID = "<wire-2026-12@evil.example>";
    private static final int PER_PROVIDER = 10;
    private static final Actor ITEST = Actor.system("itest");

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
    private RawMailStore rawMail;

    @Inject
    private FeaturesService features;

    /** One copy as delivered: where it is and its bytes. */
    private record Copy(String provider, String mailbox, String folder, byte[] raw, String providerId) {}

    @Configuration
    public Option[] config() {
        String[] urls = FakeGraphControl.start();
        List<Option> options = new ArrayList<>(List.of(distribution()));
        options.add(systemProperty("sluice.itest.graph.base").value(urls[0]));
        options.add(systemProperty("sluice.itest.graph.token").value(urls[1]));
        options.add(systemProperty("sluice.itest.graph.control").value(urls[2]));
        return options.toArray(new Option[0]);
    }

    private static String imapUser(int i) {
        return "u" + i + "@imap.example";
    }

    private static String graphUser(int i) {
        return "g" + i + "@graph.example";
    }

    private static String gmailUser(int i) {
        return "m" + i + "@gmail.example";
    }

    /** The copy of one mailbox and folder: same Message-ID everywhere, a header telling the copies apart. */
    private static byte[] message(String mailbox, String folder, int n) {
        String text = "Return-Path: <bad@evil.example>\r\n"
                + "X-Delivered-To: " + mailbox + " " + folder + " #" + n + "\r\n"
                + "Message-ID: " + MESSAGE_ID + "\r\n"
                + "From: Wire Desk <bad@evil.example>\r\n"
                + "To: " + mailbox + "\r\n"
                + "Subject: Urgent wire transfer\r\n"
                + "Date: Fri, 04 Dec 2026 08:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "Please pay the attached invoice today.\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void aCampaignOverThreeConnectorsWithThrottlingIsQuarantinedOnceEachAndUndoneByteForByte() throws Exception {
        Dovecot.assumeInstalled();
        List<String> imapUsers = new ArrayList<>();
        for (int i = 0; i < PER_PROVIDER; i++) {
            imapUsers.add(imapUser(i));
        }
        Dovecot dovecot = Dovecot.start(imapUsers, "master-" + UUID.randomUUID());
        FakeServiceAccount account = new FakeServiceAccount("campaign@sluice-test.iam.gserviceaccount.com");
        FakeGmailServer gmail = new FakeGmailServer(account.clientEmail(), account.publicKey()).start();
        try {
            run(dovecot, gmail, account);
        } finally {
            gmail.close();
            dovecot.close();
        }
    }

    private void run(Dovecot dovecot, FakeGmailServer gmail, FakeServiceAccount account) throws Exception {
        configure(dovecot, gmail, account);

        // Deliver: IMAP copies by APPEND, Graph copies through the control server, Gmail copies into the fake.
        List<Copy> copies = new ArrayList<>();
        for (int i = 0; i < PER_PROVIDER; i++) {
            String user = imapUser(i);
            List<String> folders = i == 1
                    ? List.of("INBOX", "Archive")
                    : i == 2 ? List.of("INBOX", "INBOX") : List.of(i % 3 == 0 ? "Archive" : "INBOX");
            try (MiniImap imap = dovecot.as(user)) {
                for (int n = 0; n < folders.size(); n++) {
                    byte[] raw = message(user, folders.get(n), n);
                    long uid = imap.append(folders.get(n), raw);
                    copies.add(new Copy("imap", user, folders.get(n), raw, String.valueOf(uid)));
                }
            }
        }
        for (int i = 0; i < PER_PROVIDER; i++) {
            String user = graphUser(i);
            List<String> folders = i == 1
                    ? List.of("inbox", "drafts")
                    : i == 2 ? List.of("inbox", "inbox") : List.of(i % 3 == 0 ? "drafts" : "inbox");
            for (int n = 0; n < folders.size(); n++) {
                byte[] raw = message(user, folders.get(n), n);
                String id = new String(
                        control("POST", "/deliver?mailbox=" + enc(user) + "&folder=" + folders.get(n), raw),
                        StandardCharsets.UTF_8);
                copies.add(new Copy("graph", user, folders.get(n), raw, id));
            }
        }
        for (int i = 0; i < PER_PROVIDER; i++) {
            String user = gmailUser(i);
            gmail.addUser(user);
            List<List<String>> labelSets = i == 1
                    ? List.of(List.of("INBOX", "UNREAD"), List.of("CATEGORY_UPDATES"))
                    : i == 2 ? List.of(List.of("INBOX"), List.of("INBOX")) : List.of(List.of("INBOX", "UNREAD"));
            for (int n = 0; n < labelSets.size(); n++) {
                byte[] raw = message(user, String.join(",", labelSets.get(n)), n);
                String id = gmail.addMessage(
                        user, raw, labelSets.get(n), Instant.now().minusSeconds(60));
                copies.add(new Copy("gmail", user, String.join(",", labelSets.get(n)), raw, id));
            }
        }
        // A decoy with a look-alike Message-ID in one mailbox of each provider: it must stay.
        byte[] decoy = new String(message("decoy", "x", 0), StandardCharsets.UTF_8)
                .replace(MESSAGE_ID, "<wire-2026-12@evil.example.net>")
                .getBytes(StandardCharsets.UTF_8);
        try (MiniImap imap = dovecot.as(imapUser(4))) {
            imap.append("INBOX", decoy);
        }
        control("POST", "/deliver?mailbox=" + enc(graphUser(4)) + "&folder=inbox", decoy);
        gmail.addMessage(gmailUser(4), decoy, List.of("INBOX"), Instant.now().minusSeconds(60));

        // Throttling before the run: the first requests for these mailboxes are refused.
        int graphFaults = 0;
        for (int i = 0; i < 4; i++) {
            control("POST", "/faults?mailbox=" + enc(graphUser(i)) + "&status=429&retry_after=2&count=1", null);
            graphFaults++;
        }
        control("POST", "/faults?mailbox=" + enc(graphUser(5)) + "&status=503&retry_after=1&count=1", null);
        control("POST", "/faults?mailbox=" + enc(graphUser(6)) + "&status=503&retry_after=&count=1", null);
        control("POST", "/faults?mailbox=" + enc(graphUser(7)) + "&status=429&retry_after=3&count=2", null);
        graphFaults += 4;
        int gmailFaults = 0;
        for (int i = 0; i < 4; i++) {
            gmail.inject(gmailUser(i), FakeGmailServer.Fault.TOO_MANY_REQUESTS, Duration.ofSeconds(2));
            gmailFaults++;
        }
        gmail.inject(gmailUser(5), FakeGmailServer.Fault.UNAVAILABLE, Duration.ofSeconds(1));
        gmail.inject(gmailUser(6), FakeGmailServer.Fault.UNAVAILABLE, Duration.ofSeconds(1));
        gmailFaults += 2;

        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < PER_PROVIDER; i++) {
            recipients.add(imapUser(i));
            recipients.add(graphUser(i));
            recipients.add(gmailUser(i));
        }
        long incident = incidents
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
                                                MESSAGE_ID,
                                                "sender",
                                                Map.of("email", "bad@evil.example"),
                                                "subject",
                                                "Urgent wire transfer",
                                                "to",
                                                recipients.subList(0, 20),
                                                "cc",
                                                recipients.subList(20, recipients.size())))),
                        ITEST)
                .incidentId();

        long started = System.nanoTime();
        long request = post("/incidents/" + incident + "/quarantine", "campaign-q-" + incident);
        // Throttling while the run is under way: whatever request comes next for these mailboxes is refused.
        control("POST", "/faults?mailbox=" + enc(graphUser(8)) + "&status=429&retry_after=2&count=1", null);
        control("POST", "/faults?mailbox=" + enc(graphUser(9)) + "&status=503&retry_after=1&count=1", null);
        graphFaults += 2;
        gmail.inject(gmailUser(8), FakeGmailServer.Fault.TOO_MANY_REQUESTS, Duration.ofSeconds(2));
        gmail.inject(gmailUser(9), FakeGmailServer.Fault.UNAVAILABLE, Duration.ofSeconds(1));
        gmailFaults += 2;
        JsonNode done = awaitFinished(request);
        System.out.printf(
                "QuarantineCampaignIT: quarantine of %d copies in %d mailboxes took %d ms%n",
                copies.size(), recipients.size(), (System.nanoTime() - started) / 1_000_000);

        assertEquals(done.toString(), recipients.size(), done.get("job_ids").size());
        assertEquals(
                done.toString(),
                recipients.size(),
                done.get("progress").get("succeeded").asInt());

        // Every copy is gone from the mailboxes; the decoys stay.
        for (int i = 0; i < PER_PROVIDER; i++) {
            try (MiniImap imap = dovecot.as(imapUser(i))) {
                Map<String, List<byte[]>> all = imap.all();
                for (Copy c : copies) {
                    if (c.mailbox().equals(imapUser(i))) {
                        assertEquals(c.mailbox() + " " + c.folder(), 0, count(all, c.raw()));
                    }
                }
                if (i == 4) {
                    assertEquals("the IMAP decoy stays", 1, count(all, decoy));
                }
            }
        }
        Map<String, JsonNode> graphBoxes = new HashMap<>();
        for (int i = 0; i < PER_PROVIDER; i++) {
            JsonNode box = JSON.readTree(control("GET", "/mailbox?address=" + enc(graphUser(i)), null));
            graphBoxes.put(graphUser(i), box);
            String purges = box.get("folders").get("recoverableitemspurges").asText();
            for (JsonNode m : box.get("messages")) {
                byte[] mime = Base64.getDecoder().decode(m.get("mime").asText());
                boolean ours = copies.stream().anyMatch(c -> Arrays.equals(c.raw(), mime));
                if (ours) {
                    assertEquals(
                            "a Graph copy is purged: " + m,
                            purges,
                            m.get("folder_id").asText());
                    assertEquals(
                            "each Graph copy removed exactly once: " + m,
                            1,
                            m.get("permanent_deletes").asInt());
                } else {
                    assertArrayEquals(decoy, mime);
                    assertEquals(0, m.get("permanent_deletes").asInt());
                }
            }
        }
        for (int i = 0; i < PER_PROVIDER; i++) {
            List<FakeGmailServer.StoredMessage> left = gmail.messages(gmailUser(i));
            assertEquals(gmailUser(i) + " " + left, i == 4 ? 1 : 0, left.size());
        }
        long gmailCopies =
                copies.stream().filter(c -> c.provider().equals("gmail")).count();
        assertEquals("each Gmail copy deleted exactly once", gmailCopies, gmail.count("delete"));
        assertEquals(0, gmail.count("trash"));

        // The vault holds every copy's bytes, one result per copy.
        JsonNode results = JSON.readTree(
                http("GET", API + "/incidents/" + incident + "/quarantine-results", null, "Authorization", admin())
                        .body());
        assertEquals(results.toString(), copies.size(), results.size());
        Map<String, Integer> resultsPerCopy = new LinkedHashMap<>();
        Map<String, String> instanceOf = Map.of("imap", IMAP, "graph", GRAPH, "gmail", GMAIL);
        for (JsonNode r : results) {
            assertEquals(r.toString(), "quarantined", r.get("status").asText());
            byte[] vaulted;
            try (InputStream in = rawMail.open(r.get("raw_sha256").asText())) {
                vaulted = in.readAllBytes();
            }
            Copy copy = copies.stream()
                    .filter(c -> Arrays.equals(c.raw(), vaulted))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the vault holds bytes of no copy: " + r));
            assertEquals(sha256(copy.raw()), r.get("raw_sha256").asText());
            assertEquals(r.toString(), copy.mailbox(), r.get("mailbox").asText());
            assertEquals(
                    r.toString(),
                    instanceOf.get(copy.provider()),
                    r.get("connector").asText());
            resultsPerCopy.merge(copy.provider() + ":" + copy.mailbox() + ":" + sha256(copy.raw()), 1, Integer::sum);
        }
        assertEquals("one result for each copy", copies.size(), resultsPerCopy.size());

        String key = apiKeys.create("campaign-reader-" + incident, Role.ANALYST, ITEST)
                .secret();
        JsonNode compat = JSON.readTree(http("GET", "/api/incidents/" + incident + ".json", null, "Authorization", key)
                .body());
        assertEquals(copies.size(), compat.get("successful_quarantines").asInt());
        assertEquals(0, compat.get("failed_quarantines").asInt());
        assertEquals(0, compat.get("pending_quarantines").asInt());
        assertEquals(copies.size(), compat.get("quarantine_results").size());

        // The throttling happened, and was obeyed.
        JsonNode stats = JSON.readTree(control("GET", "/stats", null));
        assertEquals(stats.toString(), graphFaults, stats.get("injectedFaults").asInt());
        assertEquals(stats.toString(), 0, stats.get("limitViolations").asInt());
        assertEquals(stats.toString(), 0, stats.get("earlyRequests").asInt());
        assertEquals(gmailFaults, gmail.count("injected"));
        assertEquals(0, gmail.count("limitViolations"));
        assertEquals(0, gmail.count("earlyRequests"));
        assertEquals(0, gmail.count("badQuery"));

        // Undo: identical bytes back where each copy was, once.
        control("POST", "/faults?mailbox=" + enc(graphUser(3)) + "&status=429&retry_after=2&count=1", null);
        gmail.inject(gmailUser(3), FakeGmailServer.Fault.UNAVAILABLE, Duration.ofSeconds(1));
        long undo = post("/incidents/" + incident + "/undo", "campaign-u-" + incident);
        JsonNode undone = awaitFinished(undo);
        assertEquals(
                undone.toString(),
                copies.size(),
                undone.get("progress").get("succeeded").asInt());

        for (int i = 0; i < PER_PROVIDER; i++) {
            try (MiniImap imap = dovecot.as(imapUser(i))) {
                Map<String, List<byte[]>> all = imap.all();
                for (Copy c : copies) {
                    if (c.mailbox().equals(imapUser(i))) {
                        List<byte[]> folder =
                                new ArrayList<>(imap.messages(c.folder()).values());
                        assertEquals(c.mailbox() + " " + c.folder(), 1, count(Map.of(c.folder(), folder), c.raw()));
                        assertEquals("restored once, nowhere else", 1, count(all, c.raw()));
                    }
                }
            }
        }
        for (int i = 0; i < PER_PROVIDER; i++) {
            String user = graphUser(i);
            JsonNode before = graphBoxes.get(user);
            JsonNode box = JSON.readTree(control("GET", "/mailbox?address=" + enc(user), null));
            for (Copy c : copies) {
                if (!c.mailbox().equals(user)) {
                    continue;
                }
                String folderId = before.get("folders").get(c.folder()).asText();
                int inFolder = 0;
                for (JsonNode m : box.get("messages")) {
                    byte[] mime = Base64.getDecoder().decode(m.get("mime").asText());
                    if (Arrays.equals(mime, c.raw())
                            && m.get("folder_id").asText().equals(folderId)) {
                        inFolder++;
                    }
                }
                assertEquals(user + " " + c.folder() + " restored once with identical bytes", 1, inFolder);
            }
        }
        for (int i = 0; i < PER_PROVIDER; i++) {
            String user = gmailUser(i);
            List<FakeGmailServer.StoredMessage> now = gmail.messages(user);
            for (Copy c : copies) {
                if (!c.mailbox().equals(user)) {
                    continue;
                }
                long same = now.stream()
                        .filter(m -> Arrays.equals(m.raw(), c.raw())
                                && new java.util.TreeSet<>(m.labels())
                                        .equals(new java.util.TreeSet<>(
                                                List.of(c.folder().split(",")))))
                        .count();
                assertEquals(user + " " + c.folder() + " restored once with identical bytes and labels", 1, same);
            }
        }
        assertEquals("each Gmail copy inserted exactly once", gmailCopies, gmail.count("insert"));
        JsonNode after = JSON.readTree(control("GET", "/stats", null));
        assertEquals(after.toString(), 0, after.get("limitViolations").asInt());
        assertEquals(after.toString(), 0, after.get("earlyRequests").asInt());
        assertEquals(0, gmail.count("limitViolations"));
        assertEquals(0, gmail.count("earlyRequests"));
        JsonNode restored = JSON.readTree(
                http("GET", API + "/incidents/" + incident + "/quarantine-results", null, "Authorization", admin())
                        .body());
        for (JsonNode r : restored) {
            assertEquals(r.toString(), "restored", r.get("status").asText());
        }
    }

    private void configure(Dovecot dovecot, FakeGmailServer gmail, FakeServiceAccount account) throws Exception {
        org.osgi.service.cm.Configuration imap =
                configs.getFactoryConfiguration("org.sluice.connector.imap", IMAP, "?");
        imap.update(dovecot.masterConnector(IMAP, box.encrypt(dovecot.masterPassword())));

        features.installFeature("sluice-connector-graph", EnumSet.noneOf(FeaturesService.Option.class));
        features.installFeature("sluice-connector-gmail", EnumSet.noneOf(FeaturesService.Option.class));
        org.osgi.service.cm.Configuration graph =
                configs.getFactoryConfiguration("org.sluice.connector.graph", GRAPH, "?");
        Hashtable<String, Object> graphProperties = new Hashtable<>();
        graphProperties.put("instanceId", GRAPH);
        graphProperties.put("tenantId", FakeGraphControl.TENANT);
        graphProperties.put("clientId", FakeGraphControl.CLIENT);
        graphProperties.put(".clientSecret", box.encrypt(FakeGraphControl.SECRET));
        graphProperties.put("graphBaseUrl", System.getProperty("sluice.itest.graph.base"));
        graphProperties.put("tokenEndpoint", System.getProperty("sluice.itest.graph.token"));
        graph.update(graphProperties);
        org.osgi.service.cm.Configuration google =
                configs.getFactoryConfiguration("org.sluice.connector.gmail", GMAIL, "?");
        Hashtable<String, Object> gmailProperties = new Hashtable<>();
        gmailProperties.put("name", GMAIL);
        gmailProperties.put("serviceAccountKey", box.encrypt(account.keyJson(gmail.tokenUri())));
        gmailProperties.put("rootUrl", gmail.rootUrl());
        google.update(gmailProperties);
        for (String instance : List.of(IMAP, GRAPH, GMAIL)) {
            await(
                    Duration.ofSeconds(90),
                    () -> assertTrue(
                            instance,
                            plugins.plugins().stream()
                                    .anyMatch(p -> p.kind() == PluginRegistry.Kind.MAILBOX_CONNECTOR
                                            && instance.equals(p.instance()))));
        }
        HttpResult settings = http(
                "PUT",
                API + "/settings",
                "{\"domains.internal\":[\"imap.example\",\"graph.example\",\"gmail.example\"],"
                        + "\"mailbox.routes\":[\"imap.example=" + IMAP + "\",\"graph.example=" + GRAPH
                        + "\",\"gmail.example=" + GMAIL + "\"],"
                        + "\"quarantine.not_found_window_minutes\":0}",
                "Authorization",
                admin());
        assertEquals(settings.body(), 200, settings.status());
    }

    private static String admin() throws IOException {
        return basic("admin", adminPassword());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Calls the fake Graph's control server in the test driver's JVM. */
    private static byte[] control(String method, String pathAndQuery, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection)
                new URL(System.getProperty("sluice.itest.graph.control") + pathAndQuery).openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        if (body != null) {
            connection.setDoOutput(true);
            connection.getOutputStream().write(body);
        }
        int status = connection.getResponseCode();
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        byte[] answer = stream == null ? new byte[0] : stream.readAllBytes();
        if (status != 200) {
            throw new AssertionError(pathAndQuery + ": " + status + " " + new String(answer, StandardCharsets.UTF_8));
        }
        return answer;
    }

    /** Posts a manual response; returns the request's id. */
    private long post(String path, String idempotencyKey) throws Exception {
        HttpResult posted = http(
                "POST",
                API + path,
                "{\"template\":\"quarantine-default\"}",
                "Authorization",
                admin(),
                "Idempotency-Key",
                idempotencyKey);
        assertEquals(posted.body(), 202, posted.status());
        return JSON.readTree(posted.body()).get("id").asLong();
    }

    /** Waits until every job of a request is final; returns the finished request. */
    private JsonNode awaitFinished(long id) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await(Duration.ofSeconds(240), () -> {
            last[0] = JSON.readTree(http("GET", API + "/responses/" + id, null, "Authorization", admin())
                    .body());
            assertTrue(last[0].toString(), last[0].get("finished").asBoolean());
        });
        return last[0];
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static int count(Map<String, List<byte[]>> mailbox, byte[] message) {
        int n = 0;
        for (List<byte[]> folder : mailbox.values()) {
            for (byte[] m : folder) {
                if (Arrays.equals(m, message)) {
                    n++;
                }
            }
        }
        return n;
    }
}
