package org.sluice.core.internal.quarantine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.response.ResponseRequest;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.core.internal.db.Json;
import org.sluice.core.internal.plugin.IsolatedCalls;

/** The quarantine and undo attempts against a scripted connector, an in-memory vault and raw-mail store. */
class QuarantineRunnerTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final String MAILBOX = "alice@corp.example";

    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, byte[]> raw = new HashMap<>();
    private final FakeVault vault = new FakeVault();
    private final Map<Setting, Object> settings =
            new HashMap<>(Map.of(Setting.QUARANTINE_MAX_COPIES, 20, Setting.QUARANTINE_INCLUDE_SENDER_SENT, false));
    private final IsolatedCalls calls = new IsolatedCalls("test-call-");
    private int maxAttempts = 10;

    @AfterEach
    void close() {
        calls.close();
    }

    private QuarantineRunner runner() {
        SettingsService settingsService = (SettingsService) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {SettingsService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        return settings.get((Setting) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        ResponseQueue queue = (ResponseQueue) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ResponseQueue.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        return Optional.of(new ResponseJob(
                                (Long) args[0],
                                "quarantine:x",
                                1L,
                                MAILBOX,
                                Map.of(),
                                JobState.RUNNING,
                                0,
                                maxAttempts,
                                NOW,
                                null,
                                null,
                                NOW,
                                NOW,
                                null));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new QuarantineRunner(
                vault,
                new FakeRawMail(),
                settingsService,
                queue,
                calls,
                Duration.ofSeconds(5),
                () -> Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static ResponseRequest request(int attempt, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(QuarantineParams.MESSAGE_ID, "q1@evil.example");
        params.put(QuarantineParams.SENDER, "bad@evil.example");
        params.put(
                QuarantineParams.NOT_FOUND_UNTIL,
                String.valueOf(NOW.plusSeconds(600).toEpochMilli()));
        params.putAll(extra);
        return new ResponseRequest(7, "quarantine:x", 1L, MAILBOX, params, attempt);
    }

    private static byte[] bytes(String folder) {
        return ("Message-ID: <q1@evil.example>\r\nX-Folder: " + folder + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void everyCopyIsStoredInTheVaultBeforeItIsRemoved() throws Exception {
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10"), copy("Archive", "1:11")));

        ResponseOutcome outcome = runner().quarantine(request(1, Map.of()), connector);

        assertEquals(ResponseOutcome.Status.DONE, outcome.status(), outcome.detail());
        assertEquals(
                List.of(
                        "find",
                        "read INBOX",
                        "store",
                        "vaulted INBOX",
                        "read Archive",
                        "store",
                        "vaulted Archive",
                        "remove INBOX",
                        "remove Archive"),
                log);
        assertEquals(2, vault.entries.size());
        for (QuarantineEntryEntity e : vault.entries) {
            assertEquals(QuarantineEntryEntity.QUARANTINED, e.status);
            assertArrayEquals(bytes(e.folder), raw.get(e.rawSha256));
            assertEquals(sha(bytes(e.folder)), e.rawSha256);
        }
    }

    @Test
    void severalCopiesOfOneMailboxGoInOneBulkRemovalWhereTheConnectorHasOneAndEachGetsItsOwnOutcome() {
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10"), copy("Archive", "1:11"))) {
            @Override
            public boolean removesInBulk() {
                return true;
            }

            @Override
            public Map<MailboxCopy, ResponseOutcome> removeAll(List<MailboxCopy> copies) {
                log.add("remove-all " + copies.size());
                return Map.of(
                        copies.get(0),
                        ResponseOutcome.done("deleted"),
                        copies.get(1),
                        ResponseOutcome.retryable("429", "throttled", Duration.ofSeconds(7)));
            }
        };

        ResponseOutcome outcome = runner().quarantine(request(1, Map.of()), connector);

        assertEquals(ResponseOutcome.Status.RETRYABLE, outcome.status(), outcome.detail());
        assertEquals(Duration.ofSeconds(7), outcome.retryAfter());
        assertEquals(1, log.stream().filter(l -> l.startsWith("remove")).count(), log.toString());
        assertTrue(log.contains("remove-all 2"), log.toString());
        assertEquals(
                List.of(QuarantineEntryEntity.QUARANTINED, QuarantineEntryEntity.VAULTED),
                vault.entries.stream().map(e -> e.status).toList());

        // The repeat removes only the copy still there.
        connector.copies = List.of(copy("Archive", "1:11"));
        log.clear();
        assertEquals(
                ResponseOutcome.Status.DONE,
                runner().quarantine(request(1, Map.of()), connector).status());
        assertEquals(List.of("find", "remove Archive"), log);
    }

    @Test
    void aRetryableRemovalKeepsTheCopyVaultedTheLongestWaitWinsAndARepeatConfirmsWithoutRemovingTwice() {
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10"), copy("Archive", "1:11")));
        connector.removeOutcomes.add(ResponseOutcome.retryable("503", "busy", Duration.ofSeconds(5)));
        connector.removeOutcomes.add(ResponseOutcome.retryable("429", "throttled", Duration.ofSeconds(90)));

        ResponseOutcome first = runner().quarantine(request(1, Map.of()), connector);

        assertEquals(ResponseOutcome.Status.RETRYABLE, first.status());
        assertEquals(Duration.ofSeconds(90), first.retryAfter());
        assertTrue(vault.entries.stream().allMatch(e -> e.status.equals(QuarantineEntryEntity.VAULTED)));

        // The removals took effect after all (the answer was lost): the copies are gone on the next attempt.
        connector.copies = List.of();
        log.clear();
        ResponseOutcome second = runner().quarantine(request(2, Map.of()), connector);

        assertEquals(ResponseOutcome.Status.ALREADY_DONE, second.status(), second.detail());
        assertEquals(List.of("find"), log);
        assertEquals(2, vault.entries.size());
        assertTrue(vault.entries.stream().allMatch(e -> e.status.equals(QuarantineEntryEntity.QUARANTINED)));
    }

    @Test
    void aCopyVaultedBeforeIsNotStoredAgainWhenFoundAgain() {
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10")));
        connector.removeOutcomes.add(ResponseOutcome.retryable(null, "dropped", null));
        runner().quarantine(request(1, Map.of()), connector);
        log.clear();

        ResponseOutcome second = runner().quarantine(request(2, Map.of()), connector);

        assertEquals(ResponseOutcome.Status.DONE, second.status());
        assertEquals(List.of("find", "remove INBOX"), log);
        assertEquals(1, vault.entries.size());
    }

    @Test
    void notFoundIsRetriedWithinTheWindowThenEndsAsNotFound() {
        Scripted connector = new Scripted(List.of());

        assertEquals(
                ResponseOutcome.Status.RETRYABLE,
                runner().quarantine(request(1, Map.of()), connector).status());
        assertEquals(
                ResponseOutcome.Status.NOT_FOUND,
                runner().quarantine(request(10, Map.of()), connector).status(),
                "the last attempt ends as not found, not failed");
        assertEquals(
                ResponseOutcome.Status.NOT_FOUND,
                runner().quarantine(
                                request(
                                        1,
                                        Map.of(
                                                QuarantineParams.NOT_FOUND_UNTIL,
                                                String.valueOf(
                                                        NOW.minusSeconds(1).toEpochMilli()))),
                                connector)
                        .status());
    }

    @Test
    void theAttemptsLeftAreSpreadOverTheRestOfTheNotFoundWindow() {
        Scripted connector = new Scripted(List.of());
        Map<String, String> nineHours = Map.of(
                QuarantineParams.NOT_FOUND_UNTIL,
                String.valueOf(NOW.plus(Duration.ofHours(9)).toEpochMilli()));

        ResponseOutcome first = runner().quarantine(request(1, nineHours), connector);
        ResponseOutcome ninth = runner().quarantine(request(9, nineHours), connector);

        assertEquals(ResponseOutcome.Status.RETRYABLE, first.status());
        assertEquals(Duration.ofHours(1), first.retryAfter(), "nine attempts left over nine hours");
        assertEquals(Duration.ofHours(9), ninth.retryAfter(), "the last attempt looks at the window's end");
    }

    @Test
    void theSendersSentFolderIsLeftAloneUnlessConfigured() {
        Scripted connector = new Scripted(List.of(copy("Sent", "1:1"), copy("INBOX", "1:2")));
        ResponseRequest fromSelf = new ResponseRequest(
                7,
                "quarantine:x",
                1L,
                MAILBOX,
                Map.of(QuarantineParams.MESSAGE_ID, "q1@evil.example", QuarantineParams.SENDER, MAILBOX),
                1);

        runner().quarantine(fromSelf, connector);
        assertEquals(List.of("INBOX"), vault.entries.stream().map(e -> e.folder).toList());

        settings.put(Setting.QUARANTINE_INCLUDE_SENDER_SENT, true);
        runner().quarantine(fromSelf, connector);
        assertTrue(vault.entries.stream().anyMatch(e -> e.folder.equals("Sent")));
    }

    @Test
    void oneSearchTouchesAtMostTheCapPerMailbox() {
        List<MailboxCopy> many = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            many.add(copy("F" + i, "1:" + i));
        }
        settings.put(Setting.QUARANTINE_MAX_COPIES, 2);
        Scripted connector = new Scripted(many);

        runner().quarantine(request(1, Map.of()), connector);

        assertEquals(2, connector.lastQuery.maxCopies());
        assertEquals(2, vault.entries.size());
    }

    @Test
    void aRefusedRemovalFailsThatCopyAndTheJob() {
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10")));
        connector.removeOutcomes.add(ResponseOutcome.permanentFailure("403", "access denied"));

        ResponseOutcome outcome = runner().quarantine(request(1, Map.of()), connector);

        assertEquals(ResponseOutcome.Status.PERMANENT_FAILURE, outcome.status());
        assertEquals("403", outcome.providerStatus());
        assertEquals(QuarantineEntryEntity.FAILED, vault.entries.get(0).status);
    }

    @Test
    void aThrottledSearchCarriesTheProvidersWait() {
        Scripted connector = new Scripted(List.of());
        connector.searchFailure =
                new MailboxException(ResponseOutcome.retryable("429", "slow down", Duration.ofSeconds(120)));

        ResponseOutcome outcome = runner().quarantine(request(1, Map.of()), connector);

        assertEquals(ResponseOutcome.Status.RETRYABLE, outcome.status());
        assertEquals(Duration.ofSeconds(120), outcome.retryAfter());
        assertTrue(vault.entries.isEmpty());
    }

    @Test
    void undoReinsertsTheVaultedBytesAndRecordsTheNewId() throws Exception {
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10")));
        runner().quarantine(request(1, Map.of()), connector);
        long entry = vault.entries.get(0).id;
        connector.copies = List.of();
        log.clear();

        ResponseOutcome undone = runner().undo(undo(entry), connector);

        assertEquals(ResponseOutcome.Status.DONE, undone.status());
        assertEquals(List.of("reinsert INBOX"), log);
        assertArrayEquals(bytes("INBOX"), connector.reinserted);
        assertEquals(QuarantineEntryEntity.RESTORED, vault.entries.get(0).status);
        assertEquals("2:99", vault.entries.get(0).restoredProviderId);
        assertEquals(
                ResponseOutcome.Status.ALREADY_DONE,
                runner().undo(undo(entry), connector).status());
    }

    @Test
    void anUndoInterruptedAfterReinsertingFindsTheCopyBackAndDoesNotInsertTwice() {
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10")));
        runner().quarantine(request(1, Map.of()), connector);
        QuarantineEntryEntity entry = vault.entries.get(0);
        entry.status = QuarantineEntryEntity.RESTORING;
        connector.copies = List.of(copy("INBOX", "2:99"));
        log.clear();

        ResponseOutcome undone = runner().undo(undo(entry.id), connector);

        assertEquals(ResponseOutcome.Status.ALREADY_DONE, undone.status());
        assertEquals(List.of("find"), log);
        assertEquals("2:99", entry.restoredProviderId);
    }

    @Test
    void twoCopiesInOneFolderAreEachRestoredOnceAlsoWhenAnUndoIsRepeatedAfterACrash() {
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10"), copy("INBOX", "1:11")));
        runner().quarantine(request(1, Map.of()), connector);
        QuarantineEntryEntity first = vault.entries.get(0);
        QuarantineEntryEntity second = vault.entries.get(1);
        connector.copies = List.of();

        assertEquals(
                ResponseOutcome.Status.DONE,
                runner().undo(undo(first.id), connector).status());
        // The first copy is back as 2:99. The second undo's earlier attempt died after marking it restoring but
        // before it re-inserted anything: the copy it finds in the folder is the first one's, not its own.
        connector.copies = List.of(copy("INBOX", "2:99"));
        second.status = QuarantineEntryEntity.RESTORING;
        log.clear();
        ResponseOutcome undone = runner().undo(undo(second.id), connector);

        assertEquals(ResponseOutcome.Status.DONE, undone.status(), undone.detail());
        assertEquals(List.of("find", "reinsert INBOX"), log);
        assertEquals("2:99", first.restoredProviderId);
        assertEquals("2:100", second.restoredProviderId);

        // Repeated once more after a crash that lost the outcome: both copies are in the folder, each owned once.
        connector.copies = List.of(copy("INBOX", "2:99"), copy("INBOX", "2:100"));
        second.status = QuarantineEntryEntity.RESTORING;
        second.restoredProviderId = null;
        log.clear();
        assertEquals(
                ResponseOutcome.Status.ALREADY_DONE,
                runner().undo(undo(second.id), connector).status());
        assertEquals(List.of("find"), log);
        assertEquals("2:100", second.restoredProviderId);
        assertEquals(
                ResponseOutcome.Status.ALREADY_DONE,
                runner().undo(undo(first.id), connector).status());
    }

    @Test
    void aCopysReadStateIsKeptInTheVault() {
        Scripted connector = new Scripted(List.of(
                new MailboxCopy(MAILBOX, "INBOX", "1:10", "<q1@evil.example>", true),
                new MailboxCopy(MAILBOX, "Archive", "1:11", "<q1@evil.example>", false),
                copy("Other", "1:12")));
        runner().quarantine(request(1, Map.of()), connector);

        assertEquals(Boolean.TRUE, vault.entries.get(0).read);
        assertEquals(Boolean.FALSE, vault.entries.get(1).read);
        assertEquals(null, vault.entries.get(2).read);
    }

    @Test
    void anInterruptedAttemptStartsNothingMore() {
        Thread runnerThread = Thread.currentThread();
        Scripted connector = new Scripted(List.of(copy("INBOX", "1:10"), copy("Archive", "1:11"))) {
            @Override
            public ResponseOutcome remove(MailboxCopy copy) {
                ResponseOutcome outcome = super.remove(copy);
                runnerThread.interrupt();
                return outcome;
            }
        };
        try {
            ResponseOutcome outcome = runner().quarantine(request(1, Map.of()), connector);

            assertEquals(ResponseOutcome.Status.RETRYABLE, outcome.status(), outcome.detail());
            assertEquals(
                    List.of(
                            "find",
                            "read INBOX",
                            "store",
                            "vaulted INBOX",
                            "read Archive",
                            "store",
                            "vaulted Archive",
                            "remove INBOX"),
                    log);
        } finally {
            Thread.interrupted();
        }
    }

    private static ResponseRequest undo(long entry) {
        return new ResponseRequest(8, "undo:x", 1L, MAILBOX, Map.of(QuarantineParams.ENTRY, String.valueOf(entry)), 1);
    }

    private static MailboxCopy copy(String folder, String id) {
        return new MailboxCopy(MAILBOX, folder, id, "<q1@evil.example>");
    }

    /** A connector whose answers the test sets, logging every call. */
    private class Scripted implements MailboxConnector {
        List<MailboxCopy> copies;
        final List<ResponseOutcome> removeOutcomes = new ArrayList<>();
        MailboxException searchFailure;
        CopyQuery lastQuery;
        byte[] reinserted;
        int nextId = 99;

        Scripted(List<MailboxCopy> copies) {
            this.copies = copies;
        }

        @Override
        public String type() {
            return "scripted";
        }

        @Override
        public String instanceId() {
            return "x";
        }

        @Override
        public List<MailboxCopy> findCopies(String mailbox, CopyQuery query) throws Exception {
            log.add("find");
            lastQuery = query;
            if (searchFailure != null) {
                throw searchFailure;
            }
            return copies;
        }

        @Override
        public InputStream openRaw(MailboxCopy copy) {
            log.add("read " + copy.folder());
            return new ByteArrayInputStream(bytes(copy.folder()));
        }

        @Override
        public ResponseOutcome remove(MailboxCopy copy) {
            log.add("remove " + copy.folder());
            return removeOutcomes.isEmpty() ? ResponseOutcome.done("expunged") : removeOutcomes.remove(0);
        }

        @Override
        public ResponseOutcome reinsert(String mailbox, String folder, InputStream in) throws IOException {
            log.add("reinsert " + folder);
            reinserted = in.readAllBytes();
            return ResponseOutcome.done("2:" + nextId++);
        }
    }

    private final class FakeRawMail implements RawMailStore {
        @Override
        public StoredMail store(InputStream in) throws IOException {
            byte[] b = in.readAllBytes();
            try {
                String sha = sha(b);
                raw.put(sha, b);
                log.add("store");
                return new StoredMail(sha, b.length, NOW);
            } catch (Exception e) {
                throw new IOException(e);
            }
        }

        @Override
        public Optional<StoredMail> find(String sha256) {
            return Optional.ofNullable(raw.get(sha256)).map(b -> new StoredMail(sha256, b.length, NOW));
        }

        @Override
        public InputStream open(String sha256) {
            return new ByteArrayInputStream(raw.get(sha256));
        }
    }

    /** The vault's rows in memory. */
    private final class FakeVault extends Vault {
        final List<QuarantineEntryEntity> entries = new ArrayList<>();
        private final AtomicLong ids = new AtomicLong(100);

        FakeVault() {
            super(null);
        }

        @Override
        List<QuarantineEntryEntity> byJob(long jobId) {
            return entries.stream().filter(e -> e.jobId == jobId).toList();
        }

        @Override
        long quarantinedElsewhere(Long incidentId, String mailbox, String messageId) {
            return 0;
        }

        @Override
        QuarantineEntryEntity find(long entryId) {
            return entries.stream().filter(e -> e.id == entryId).findFirst().orElse(null);
        }

        @Override
        QuarantineEntryEntity vaulted(
                long jobId,
                Long incidentId,
                String connector,
                MailboxCopy copy,
                String messageId,
                String sha256,
                Map<String, String> job,
                Instant at) {
            log.add("vaulted " + copy.folder());
            QuarantineEntryEntity e = new QuarantineEntryEntity();
            e.id = ids.incrementAndGet();
            e.jobId = jobId;
            e.incidentId = incidentId;
            e.mailbox = copy.mailbox();
            e.connector = connector;
            e.messageId = messageId;
            e.folder = copy.folder();
            e.providerId = copy.providerId();
            e.rawSha256 = sha256;
            e.status = QuarantineEntryEntity.VAULTED;
            e.queryJson = Json.write(QuarantineParams.query(job));
            e.startedAt = at;
            e.read = copy.read();
            entries.add(e);
            return e;
        }

        @Override
        java.util.Set<String> idsTakenBesides(QuarantineEntryEntity entry) {
            java.util.Set<String> out = new java.util.HashSet<>();
            for (QuarantineEntryEntity other : entries) {
                if (other.id.equals(entry.id) || !other.mailbox.equals(entry.mailbox)) {
                    continue;
                }
                if (other.restoredProviderId != null && other.folder.equals(entry.folder)) {
                    out.add(other.restoredProviderId);
                }
                if (other.status.equals(QuarantineEntryEntity.FAILED)
                        || other.status.equals(QuarantineEntryEntity.VAULTED)) {
                    out.add(other.providerId);
                }
            }
            return out;
        }

        @Override
        boolean claimRestored(long entryId, String restoredId, String detail, Instant at) {
            QuarantineEntryEntity e = find(entryId);
            boolean taken = entries.stream()
                    .anyMatch(o -> !o.id.equals(entryId)
                            && o.folder.equals(e.folder)
                            && restoredId.equals(o.restoredProviderId));
            if (taken) {
                return false;
            }
            e.status = QuarantineEntryEntity.RESTORED;
            e.detail = detail;
            e.undoneAt = at;
            e.restoredProviderId = restoredId;
            return true;
        }

        @Override
        void update(long entryId, String status, String detail, Instant endedAt, Instant undoneAt, String restoredId) {
            QuarantineEntryEntity e = find(entryId);
            e.status = status;
            e.detail = detail;
            if (restoredId != null) {
                e.restoredProviderId = restoredId;
            }
            if (undoneAt != null) {
                e.undoneAt = undoneAt;
            }
        }
    }
}
