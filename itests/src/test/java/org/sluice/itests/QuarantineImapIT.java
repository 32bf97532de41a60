package org.sluice.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.HexFormat;
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
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.quarantine.RecipientExpander;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.Role;
import org.sluice.boot.SecretBox;
import org.sluice.itests.imap.Dovecot;
import org.sluice.itests.imap.MiniImap;

/**
 * Quarantine and undo end to end against a real Dovecot started by the test (plain IMAP on a free loopback port, a
 * master user): messages delivered by IMAP APPEND into several users' folders, an alert naming them as recipients,
 * quarantine through the own API, the copies gone from every folder and byte-identical in the vault, the results in
 * the compatible API, undo putting identical bytes back into the original folders. And crafted Message-IDs and
 * subjects that must touch nothing but exact matches.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class QuarantineImapIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/sluice/api/v1";
    private static final String INSTANCE = "dovecot-test";
    private static final String HIDDEN_INSTANCE = "dovecot-hidden";
    private static final String OWN_INSTANCE = "dovecot-own";
    private static final Actor ITEST = Actor.system("itest");

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
    private ApiKeyService apiKeys;

    @Inject
    private RawMailStore rawMail;

    @Inject
    private FeaturesService features;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    /**
     * Starts Dovecot (stopped when the container's JVM exits: Pax Exam runs each test method on its own, class rules
     * included, so an after-class hook would stop it between methods), configures the connector instance (master
     * password as ENC(...)) and the settings, once. */
    private synchronized void setUp() throws Exception {
        Dovecot.assumeInstalled();
        if (dovecot != null) {
            return;
        }
        dovecot = Dovecot.start(
                List.of(
                        "alice@corp.example",
                        "bob@corp.example",
                        "carol@corp.example",
                        "dave@corp.example",
                        "erin@corp.example",
                        "frank@corp.example",
                        "gina@corp.example",
                        "hank@corp.example"),
                "master-" + UUID.randomUUID());
        org.osgi.service.cm.Configuration configuration =
                configs.getFactoryConfiguration("org.sluice.connector.imap", INSTANCE, "?");
        Hashtable<String, Object> properties = dovecot.masterConnector(INSTANCE, box.encrypt(dovecot.masterPassword()));
        configuration.update(properties);
        // A second instance on the same server: one admin login acting as the user through a SASL authorization
        // identity, removing by moving into a hidden folder.
        org.osgi.service.cm.Configuration hidden =
                configs.getFactoryConfiguration("org.sluice.connector.imap", HIDDEN_INSTANCE, "?");
        Hashtable<String, Object> hiddenProperties = new Hashtable<>(properties);
        hiddenProperties.put("instance", HIDDEN_INSTANCE);
        hiddenProperties.put("auth", "authzid");
        hiddenProperties.put("remove.mode", "hidden-folder");
        hidden.update(hiddenProperties);
        // A third: each mailbox's own password, one ENC(...) property per mailbox.
        org.osgi.service.cm.Configuration own =
                configs.getFactoryConfiguration("org.sluice.connector.imap", OWN_INSTANCE, "?");
        Hashtable<String, Object> ownProperties = new Hashtable<>();
        ownProperties.put("instance", OWN_INSTANCE);
        ownProperties.put("host", "127.0.0.1");
        ownProperties.put("port", dovecot.port());
        ownProperties.put("security", "none");
        ownProperties.put("auth", "per-mailbox");
        ownProperties.put("credential.frank@corp.example", box.encrypt(Dovecot.password("frank@corp.example")));
        own.update(ownProperties);
        for (String instance : List.of(INSTANCE, HIDDEN_INSTANCE, OWN_INSTANCE)) {
            await(
                    Duration.ofSeconds(60),
                    () -> assertTrue(plugins.plugins().stream()
                            .anyMatch(p -> p.kind() == PluginRegistry.Kind.MAILBOX_CONNECTOR
                                    && instance.equals(p.instance()))));
        }
        HttpResult settings = http(
                "PUT",
                API + "/settings",
                "{\"domains.internal\":\"corp.example\",\"mailbox.routes\":[\"corp.example=" + INSTANCE
                        + "\",\"erin@corp.example=" + HIDDEN_INSTANCE + "\",\"frank@corp.example=" + OWN_INSTANCE
                        + "\"],"
                        + "\"quarantine.not_found_window_minutes\":0}",
                "Authorization",
                admin());
        assertEquals(settings.body(), 200, settings.status());
    }

    private static String admin() throws Exception {
        return basic("admin", adminPassword());
    }

    private static byte[] message(String messageId, String from, String subject, String body) {
        String text = (messageId == null ? "" : "Message-ID: " + messageId + "\r\n")
                + "From: " + from + "\r\n"
                + "To: alice@corp.example\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + body + "\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private long raiseAlert(Map<String, Object> email) {
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
                                Map.of("email", email)),
                        ITEST)
                .incidentId();
    }

    /** Posts a manual response and waits until every one of its jobs is final; returns the finished request. */
    private JsonNode respond(String path, String idempotencyKey) throws Exception {
        HttpResult first = http(
                "POST",
                API + path,
                "{\"template\":\"quarantine-default\"}",
                "Authorization",
                admin(),
                "Idempotency-Key",
                idempotencyKey);
        assertEquals(first.body(), 202, first.status());
        HttpResult replay = http(
                "POST",
                API + path,
                "{\"template\":\"quarantine-default\"}",
                "Authorization",
                admin(),
                "Idempotency-Key",
                idempotencyKey);
        long id = JSON.readTree(first.body()).get("id").asLong();
        assertEquals(
                "a replay with the same Idempotency-Key is the same request",
                id,
                JSON.readTree(replay.body()).get("id").asLong());
        JsonNode[] last = new JsonNode[1];
        await(Duration.ofSeconds(90), () -> {
            last[0] = JSON.readTree(http("GET", API + "/responses/" + id, null, "Authorization", admin())
                    .body());
            assertTrue(last[0].toString(), last[0].get("finished").asBoolean());
        });
        assertEquals("quarantine-default", last[0].get("template").asText());
        return last[0];
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static int count(Map<String, List<byte[]>> mailbox, byte[] message) {
        int n = 0;
        for (List<byte[]> folder : mailbox.values()) {
            for (byte[] m : folder) {
                if (java.util.Arrays.equals(m, message)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    public void quarantineTakesEveryCopyIntoTheVaultAndUndoPutsIdenticalBytesBack() throws Exception {
        setUp();
        byte[] phish = message(
                "<q1.campaign@evil.example>",
                "Bad Guy <bad@evil.example>",
                "Your invoice",
                "Click here: http://evil.example/x");
        byte[] lookalike = message("<xq1.campaign@evil.example>", "bad@evil.example", "Your invoice", "decoy one");
        byte[] longer = message("<q1.campaign@evil.example.org>", "bad@evil.example", "Your invoice", "decoy two");
        Map<String, String> folderOf = new HashMap<>();
        try (MiniImap alice = dovecot.as("alice@corp.example");
                MiniImap bob = dovecot.as("bob@corp.example");
                MiniImap dave = dovecot.as("dave@corp.example")) {
            alice.append("INBOX", phish);
            alice.append("Archive", phish);
            alice.append("INBOX", lookalike);
            alice.append("INBOX", longer);
            bob.append("INBOX", phish);
            dave.append("INBOX", phish);
        }
        long incident = raiseAlert(Map.of(
                "message_id", "<q1.campaign@evil.example>",
                "sender", Map.of("email", "bad@evil.example"),
                "subject", "Your invoice",
                "to", "Alice <alice@corp.example>",
                "cc", List.of("bob@corp.example", "partner@outside.example")));

        JsonNode done = respond("/incidents/" + incident + "/quarantine", "q-" + incident);

        assertEquals(done.toString(), 2, done.get("progress").get("succeeded").asInt());
        assertEquals(done.toString(), 2, done.get("job_ids").size());
        try (MiniImap alice = dovecot.as("alice@corp.example");
                MiniImap bob = dovecot.as("bob@corp.example");
                MiniImap dave = dovecot.as("dave@corp.example")) {
            Map<String, List<byte[]>> aliceAll = alice.all();
            assertEquals("no folder of alice shows the message", 0, count(aliceAll, phish));
            assertEquals("the look-alike Message-IDs are untouched", 1, count(aliceAll, lookalike));
            assertEquals(1, count(aliceAll, longer));
            assertEquals(0, count(bob.all(), phish));
            assertEquals("dave was no recipient", 1, count(dave.all(), phish));
        }
        JsonNode results = JSON.readTree(
                http("GET", API + "/incidents/" + incident + "/quarantine-results", null, "Authorization", admin())
                        .body());
        assertEquals(results.toString(), 3, results.size());
        List<String> places = new ArrayList<>();
        for (JsonNode r : results) {
            assertEquals("quarantined", r.get("status").asText());
            assertEquals(sha256(phish), r.get("raw_sha256").asText());
            try (InputStream vaulted = rawMail.open(r.get("raw_sha256").asText())) {
                assertArrayEquals("the vault holds the identical bytes", phish, vaulted.readAllBytes());
            }
            places.add(r.get("mailbox").asText() + "/" + r.get("folder").asText());
            folderOf.put(
                    r.get("mailbox").asText() + "/" + r.get("folder").asText(),
                    r.get("provider_id").asText());
        }
        assertTrue(
                places.toString(),
                places.containsAll(
                        List.of("alice@corp.example/INBOX", "alice@corp.example/Archive", "bob@corp.example/INBOX")));

        String key =
                apiKeys.create("compat-reader-" + incident, Role.ANALYST, ITEST).secret();
        JsonNode compat = JSON.readTree(http("GET", "/api/incidents/" + incident + ".json", null, "Authorization", key)
                .body());
        assertEquals(3, compat.get("successful_quarantines").asInt());
        assertEquals(0, compat.get("failed_quarantines").asInt());
        assertEquals(0, compat.get("pending_quarantines").asInt());
        assertEquals(3, compat.get("quarantine_results").size());
        for (JsonNode r : compat.get("quarantine_results")) {
            assertEquals("successful", r.get("status").asText());
            assertEquals("Success", r.get("details").asText());
            assertEquals("Original Recipient", r.get("recipientType").asText());
            assertEquals("<q1.campaign@evil.example>", r.get("messageId").asText());
            assertEquals("Proofpoint TAP", r.get("alertSource").asText());
            assertTrue(r.get("isRead").isTextual());
            assertEquals("false", r.get("wasUndone").asText());
            assertTrue(
                    r.get("startTime").asText(),
                    r.get("startTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
            assertTrue(r.get("endTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
            assertTrue(List.of("alice@corp.example", "bob@corp.example")
                    .contains(r.get("recipient").asText()));
        }

        JsonNode undone = respond("/incidents/" + incident + "/undo", "u-" + incident);

        assertEquals(
                undone.toString(), 3, undone.get("progress").get("succeeded").asInt());
        try (MiniImap alice = dovecot.as("alice@corp.example");
                MiniImap bob = dovecot.as("bob@corp.example")) {
            assertEquals(
                    1,
                    count(
                            Map.of(
                                    "INBOX",
                                    new ArrayList<>(alice.messages("INBOX").values())),
                            phish));
            assertEquals(
                    1,
                    count(
                            Map.of(
                                    "Archive",
                                    new ArrayList<>(alice.messages("Archive").values())),
                            phish));
            assertEquals(
                    1,
                    count(Map.of("INBOX", new ArrayList<>(bob.messages("INBOX").values())), phish));
            assertEquals("restored once, nowhere else", 2, count(alice.all(), phish));
        }
        JsonNode restored = JSON.readTree(
                http("GET", API + "/incidents/" + incident + "/quarantine-results", null, "Authorization", admin())
                        .body());
        for (JsonNode r : restored) {
            assertEquals("restored", r.get("status").asText());
            assertNotNull(r.get("undone_at").asText());
            String newId = r.get("restored_provider_id").asText();
            assertTrue(newId, newId.matches("\\d+:\\d+"));
            assertFalse(
                    "a new copy has a new UID",
                    newId.equals(folderOf.get(
                            r.get("mailbox").asText() + "/" + r.get("folder").asText())));
        }
        JsonNode compatAfter =
                JSON.readTree(http("GET", "/api/incidents/" + incident + ".json", null, "Authorization", key)
                        .body());
        for (JsonNode r : compatAfter.get("quarantine_results")) {
            assertEquals("true", r.get("wasUndone").asText());
        }
    }

    @Test
    public void craftedMessageIdsAndSubjectsTouchNothingButExactMatches() throws Exception {
        setUp();
        String subject = "Invoice \"42\" * OR ALL";
        byte[] exact = message("<exact-target@evil.example>", "bad@evil.example", subject, "the one to take");
        List<byte[]> innocent = List.of(
                message("<innocent1@evil.example>", "bad@evil.example", subject + " (copy)", "superstring subject"),
                message("<innocent2@evil.example>", "bad@evil.example", "invoice \"42\" * or all", "other case"),
                message("<innocent3@evil.example>", "other@evil.example", subject, "other sender"),
                message("<a*b@evil.example>", "x@evil.example", "star id", "star in the id"),
                message("<prefix-innocent4@evil.example>", "x@evil.example", "plain", "longer id"));
        try (MiniImap carol = dovecot.as("carol@corp.example")) {
            carol.append("INBOX", exact);
            for (byte[] m : innocent) {
                carol.append("INBOX", m);
            }
        }
        List<Map<String, Object>> crafted = new ArrayList<>();
        for (String id : List.of(
                "<*@evil.example>",
                "<innocent4@evil.example>",
                "<\"x\\\" OR ALL\"@evil.example>",
                "<a%b@evil.example>",
                "<nocent1@evil.example>")) {
            crafted.add(Map.of("message_id", id, "sender", "bad@evil.example", "to", "carol@corp.example"));
        }
        crafted.add(Map.of("sender", "bad@evil.example", "subject", subject, "to", "carol@corp.example"));
        crafted.add(
                Map.of("sender", "bad@evil.example", "subject", "x\r\nA1 DELETE INBOX", "to", "carol@corp.example"));
        crafted.add(Map.of("sender", "bad@evil.example", "subject", "*", "to", "carol@corp.example"));
        crafted.add(Map.of("sender", "bad@evil.example", "subject", "\"", "to", "carol@corp.example"));
        long incident = 0;
        String link = "itest:crafted:" + UUID.randomUUID();
        for (Map<String, Object> email : crafted) {
            incident = incidents
                    .submitAlert(
                            new NewAlert(
                                    "itest",
                                    "crafted",
                                    null,
                                    link,
                                    Severity.HIGH,
                                    "crafted",
                                    null,
                                    Instant.now(),
                                    Map.of("email", email)),
                            ITEST)
                    .incidentId();
        }

        JsonNode done = respond("/incidents/" + incident + "/quarantine", "crafted-" + incident);

        assertEquals(done.toString(), 1, done.get("progress").get("succeeded").asInt());
        assertEquals(
                done.toString(),
                crafted.size() - 1,
                done.get("progress").get("not-found").asInt());
        try (MiniImap carol = dovecot.as("carol@corp.example")) {
            Map<String, List<byte[]>> all = carol.all();
            assertTrue("INBOX still exists", all.containsKey("INBOX"));
            assertEquals("the exact match is gone", 0, count(all, exact));
            for (byte[] m : innocent) {
                assertEquals(new String(m, StandardCharsets.UTF_8), 1, count(all, m));
            }
        }
        JsonNode results = JSON.readTree(
                http("GET", API + "/incidents/" + incident + "/quarantine-results", null, "Authorization", admin())
                        .body());
        assertEquals(results.toString(), 1, results.size());
        assertEquals(sha256(exact), results.get(0).get("raw_sha256").asText());
    }

    @Test
    public void theWeakerModeMovesIntoTheHiddenFolderThroughAnAuthorizationIdentityAndUndoRestores() throws Exception {
        setUp();
        byte[] phish = message("<hidden-mode@evil.example>", "bad@evil.example", "Payroll", "weaker mode");
        try (MiniImap erin = dovecot.as("erin@corp.example")) {
            erin.append("INBOX", phish);
        }
        long incident = raiseAlert(Map.of(
                "message_id", "<hidden-mode@evil.example>", "sender", "bad@evil.example", "to", "erin@corp.example"));

        JsonNode done = respond("/incidents/" + incident + "/quarantine", "hidden-" + incident);

        assertEquals(done.toString(), 1, done.get("progress").get("succeeded").asInt());
        try (MiniImap erin = dovecot.as("erin@corp.example")) {
            assertEquals(
                    0,
                    count(Map.of("INBOX", new ArrayList<>(erin.messages("INBOX").values())), phish));
            assertEquals(
                    "the weaker mode keeps the copy in the hidden folder",
                    1,
                    count(
                            Map.of(
                                    "hidden",
                                    new ArrayList<>(
                                            erin.messages("Sluice Quarantine").values())),
                            phish));
        }
        JsonNode results = JSON.readTree(
                http("GET", API + "/incidents/" + incident + "/quarantine-results", null, "Authorization", admin())
                        .body());
        assertEquals(HIDDEN_INSTANCE, results.get(0).get("connector").asText());
        assertEquals(sha256(phish), results.get(0).get("raw_sha256").asText());

        respond("/incidents/" + incident + "/undo", "hidden-undo-" + incident);

        try (MiniImap erin = dovecot.as("erin@corp.example")) {
            assertEquals(
                    1,
                    count(Map.of("INBOX", new ArrayList<>(erin.messages("INBOX").values())), phish));
        }
    }

    @Test
    public void perMailboxCredentialsReachTheMailbox() throws Exception {
        setUp();
        byte[] phish = message("<own-login@evil.example>", "bad@evil.example", "Shared file", "per mailbox");
        try (MiniImap frank = dovecot.as("frank@corp.example")) {
            frank.append("Archive", phish);
        }
        long incident = raiseAlert(Map.of(
                "message_id", "<own-login@evil.example>", "sender", "bad@evil.example", "bcc", "frank@corp.example"));

        JsonNode done = respond("/incidents/" + incident + "/quarantine", "own-" + incident);

        assertEquals(done.toString(), 1, done.get("progress").get("succeeded").asInt());
        try (MiniImap frank = dovecot.as("frank@corp.example")) {
            assertEquals(0, count(frank.all(), phish));
        }
        respond("/incidents/" + incident + "/undo", "own-undo-" + incident);
        try (MiniImap frank = dovecot.as("frank@corp.example")) {
            assertEquals(
                    1,
                    count(
                            Map.of(
                                    "Archive",
                                    new ArrayList<>(frank.messages("Archive").values())),
                            phish));
        }
    }

    @Test
    public void aMailboxThatCannotBeReachedFailsAndTheCountsAndResultsSaySo() throws Exception {
        setUp();
        long incident = raiseAlert(Map.of(
                "message_id", "<unreachable@evil.example>", "sender", "bad@evil.example", "to", "ghost@corp.example"));

        JsonNode done = respond("/incidents/" + incident + "/quarantine", "ghost-" + incident);

        assertEquals(done.toString(), 1, done.get("progress").get("failed").asInt());
        String key = apiKeys.create("compat-ghost-" + incident, Role.READ_ONLY, ITEST)
                .secret();
        JsonNode compat = JSON.readTree(http("GET", "/api/incidents/" + incident + ".json", null, "Authorization", key)
                .body());
        assertEquals(0, compat.get("successful_quarantines").asInt());
        assertEquals(1, compat.get("failed_quarantines").asInt());
        assertEquals(0, compat.get("pending_quarantines").asInt());
        JsonNode result = compat.get("quarantine_results").get(0);
        assertEquals("failed", result.get("status").asText());
        assertEquals("Failed", result.get("details").asText());
        assertEquals("ghost@corp.example", result.get("recipient").asText());
        assertEquals("<unreachable@evil.example>", result.get("messageId").asText());
    }

    @Test
    public void workForAnUninstalledConnectorWaitsAndCompletesWhenItIsBack() throws Exception {
        setUp();
        byte[] phish = message("<while-away@evil.example>", "bad@evil.example", "Later", "waits");
        try (MiniImap gina = dovecot.as("gina@corp.example")) {
            gina.append("INBOX", phish);
        }
        long incident = raiseAlert(Map.of(
                "message_id", "<while-away@evil.example>", "sender", "bad@evil.example", "to", "gina@corp.example"));
        features.uninstallFeature("sluice-connector-imap", EnumSet.noneOf(FeaturesService.Option.class));
        try {
            await(
                    Duration.ofSeconds(60),
                    () -> assertFalse(plugins.plugins().stream()
                            .anyMatch(p -> p.kind() == PluginRegistry.Kind.MAILBOX_CONNECTOR)));
            HttpResult posted =
                    http("POST", API + "/incidents/" + incident + "/quarantine", "{}", "Authorization", admin());
            assertEquals(posted.body(), 202, posted.status());
            long job = JSON.readTree(posted.body()).get("job_ids").get(0).asLong();
            Thread.sleep(4_000);
            JsonNode waiting = JSON.readTree(http("GET", API + "/jobs/" + job, null, "Authorization", admin())
                    .body());
            assertEquals(waiting.toString(), "queued", waiting.get("state").asText());
            assertEquals(0, waiting.get("attempts").asInt());
            try (MiniImap gina = dovecot.as("gina@corp.example")) {
                assertEquals(1, count(gina.all(), phish));
            }
        } finally {
            features.installFeature("sluice-connector-imap", EnumSet.noneOf(FeaturesService.Option.class));
        }
        await(Duration.ofSeconds(90), () -> {
            JsonNode results = JSON.readTree(
                    http("GET", API + "/incidents/" + incident + "/quarantine-results", null, "Authorization", admin())
                            .body());
            assertEquals(results.toString(), 1, results.size());
            assertEquals("quarantined", results.get(0).get("status").asText());
        });
        try (MiniImap gina = dovecot.as("gina@corp.example")) {
            assertEquals(0, count(gina.all(), phish));
        }
    }

    @Test
    public void aDirectoryPluginExpandsAListAndOnlyItsInternalMembersAreReached() throws Exception {
        setUp();
        byte[] phish = message("<to-a-list@evil.example>", "bad@evil.example", "All staff", "list");
        try (MiniImap hank = dovecot.as("hank@corp.example")) {
            hank.append("INBOX", phish);
        }
        RecipientExpander directory = address -> address.equals("staff@corp.example")
                ? List.of(
                        new RecipientExpander.Expansion("hank@corp.example", "Distribution List"),
                        new RecipientExpander.Expansion("contractor@outside.example", "Distribution List"))
                : List.of();
        ServiceRegistration<RecipientExpander> registration =
                context.registerService(RecipientExpander.class, directory, null);
        try {
            long incident = raiseAlert(Map.of(
                    "message_id",
                    "<to-a-list@evil.example>",
                    "sender",
                    "bad@evil.example",
                    "to",
                    "staff@corp.example"));

            JsonNode done = respond("/incidents/" + incident + "/quarantine", "list-" + incident);

            // staff@ itself has no mailbox on the server: its own job fails; hank's copy is taken.
            assertEquals(done.toString(), 2, done.get("job_ids").size());
            assertEquals(
                    done.toString(), 1, done.get("progress").get("succeeded").asInt());
            JsonNode results = JSON.readTree(
                    http("GET", API + "/incidents/" + incident + "/quarantine-results", null, "Authorization", admin())
                            .body());
            JsonNode hank = null;
            for (JsonNode r : results) {
                if (r.get("mailbox").asText().equals("hank@corp.example")) {
                    hank = r;
                }
                assertFalse(r.get("mailbox").asText().endsWith("@outside.example"));
            }
            assertNotNull(results.toString(), hank);
            assertEquals("Distribution List", hank.get("recipient_type").asText());
            assertEquals("quarantined", hank.get("status").asText());
        } finally {
            registration.unregister();
        }
    }
}
