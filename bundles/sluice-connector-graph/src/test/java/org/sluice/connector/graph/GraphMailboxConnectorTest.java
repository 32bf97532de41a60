package org.sluice.connector.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseOutcome.Status;
import org.sluice.fakes.graph.FakeGraphLimits;
import org.sluice.fakes.graph.FakeGraphServer;
import org.sluice.fakes.graph.FakeMessage;

class GraphMailboxConnectorTest {

    private static final String ALICE = "alice@contoso.test";
    private static final String BOB = "bob@contoso.test";
    private static final Instant RECEIVED = Instant.parse("2026-12-04T09:15:00Z");

    private FakeGraphServer fake;
    private final List<GraphMailboxConnector> connectors = new ArrayList<>();

    @BeforeEach
    void startFake() throws Exception {
        fake = FakeGraphServer.start(FakeGraphLimits.exchangeOnline());
        fake.registerApp("client-1", "s3cret");
        fake.createMailbox(ALICE);
        fake.createMailbox(BOB);
    }

    @AfterEach
    void stopFake() {
        connectors.forEach(GraphMailboxConnector::close);
        fake.close();
    }

    private GraphMailboxConnector connector(RemovalMode mode) {
        return connector(mode, "s3cret");
    }

    private GraphMailboxConnector connector(RemovalMode mode, String secret) {
        GraphMailboxConnector connector = new GraphMailboxConnector(new GraphSettings(
                "contoso",
                "tenant-1",
                "client-1",
                secret,
                URI.create(fake.baseUrl()),
                URI.create(fake.tokenEndpoint("tenant-1")),
                "https://graph.microsoft.com/.default",
                mode,
                "Sluice Quarantine",
                false,
                4,
                16,
                0,
                Duration.ofSeconds(20),
                5));
        connectors.add(connector);
        return connector;
    }

    private static byte[] mime(String messageId, String from, String subject) {
        return ("From: Sender <" + from + ">\r\nTo: alice@contoso.test\r\nSubject: " + subject + "\r\nMessage-ID: "
                        + messageId + "\r\nDate: Fri, 04 Dec 2026 09:14:58 +0000\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\nPlease pay the attached invoice.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static CopyQuery byId(String id) {
        return new CopyQuery(id, null, null, null, null, 100);
    }

    @Test
    void findsEveryCopyByMessageIdAcrossPagesAndLeavesSentItemsAlone() throws Exception {
        for (int i = 0; i < 55; i++) {
            fake.deliver(ALICE, "inbox", mime("<bad-1@evil.test>", "x@evil.test", "Invoice"), RECEIVED.plusSeconds(i));
        }
        fake.deliver(ALICE, "deleteditems", mime("<bad-1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        fake.deliver(ALICE, "sentitems", mime("<bad-1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        fake.deliver(ALICE, "inbox", mime("<good-1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);

        List<MailboxCopy> copies = connector(RemovalMode.HARD_DELETE).findCopies(ALICE, byId("bad-1@evil.test"));

        assertEquals(56, copies.size());
        String sent = fake.folderId(ALICE, "sentitems").orElseThrow();
        assertTrue(copies.stream().noneMatch(c -> c.folder().equals(sent)));
        assertEquals(
                56, new HashSet<>(copies.stream().map(MailboxCopy::providerId).toList()).size());
        assertTrue(copies.stream().allMatch(c -> c.internetMessageId().equals("<bad-1@evil.test>")));
    }

    @Test
    void stopsAtTheConfiguredNumberOfCopiesPerMailbox() throws Exception {
        for (int i = 0; i < 7; i++) {
            fake.deliver(ALICE, "inbox", mime("<bad-2@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        }

        List<MailboxCopy> copies = connector(RemovalMode.HARD_DELETE)
                .findCopies(ALICE, new CopyQuery("bad-2@evil.test", null, null, null, null, 3));

        assertEquals(3, copies.size());
    }

    @Test
    void craftedMessageIdsAndSubjectsTouchOnlyExactMatches() throws Exception {
        // Normalised Message-IDs hold no whitespace or comments; each of these would widen the filter if it were not
        // escaped.
        List<String> crafted = List.of(
                "x'or'a'eq'a'or'b'eq'b@evil.test",
                "x'or'subject'ne'z@evil.test",
                "a&$top=999&$filter=true@evil.test",
                "q''or''1''eq''1@evil.test",
                "pct%27%20or%20true@evil.test",
                "hash#frag+plus@evil.test",
                "*@evil.test");
        FakeMessage innocent = fake.deliver(
                ALICE, "inbox", mime("<innocent@contoso.test>", "ceo@contoso.test", "Board minutes"), RECEIVED);
        FakeMessage caseTwin = fake.deliver(
                ALICE, "inbox", mime("<X'OR'A'EQ'A'OR'B'EQ'B@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        List<FakeMessage> targets = new ArrayList<>();
        for (String id : crafted) {
            targets.add(fake.deliver(ALICE, "inbox", mime("<" + id + ">", "x@evil.test", "Invoice"), RECEIVED));
        }
        GraphMailboxConnector connector = connector(RemovalMode.HARD_DELETE);

        for (int i = 0; i < crafted.size(); i++) {
            List<MailboxCopy> copies = connector.findCopies(ALICE, byId(crafted.get(i)));

            assertEquals(1, copies.size(), crafted.get(i));
            assertEquals(targets.get(i).immutableId(), copies.get(0).providerId(), crafted.get(i));
            assertEquals(Status.DONE, connector.remove(copies.get(0)).status());
        }

        for (FakeMessage target : targets) {
            assertEquals(1, fake.permanentDeletes(target.immutableId()));
        }
        assertEquals(0, fake.permanentDeletes(innocent.immutableId()));
        assertEquals(0, fake.permanentDeletes(caseTwin.immutableId()));
        assertEquals(2, fake.messages(ALICE, "inbox").size());
        // The service itself was asked for no more than the exact copies (and the one case-insensitive twin).
        assertEquals(crafted.size() + 1, fake.stats().listedMessages());
    }

    @Test
    void craftedSubjectsAndSendersMatchOnlyExactlyWithinTheWindow() throws Exception {
        String subject = "Pay' or subject ne 'x";
        FakeMessage target = fake.deliver(ALICE, "inbox", mime("<s1@evil.test>", "x@evil.test", subject), RECEIVED);
        fake.deliver(ALICE, "inbox", mime("<s2@evil.test>", "x@evil.test", "PAY' OR SUBJECT NE 'X"), RECEIVED);
        fake.deliver(ALICE, "inbox", mime("<s3@evil.test>", "x@evil.test", subject), RECEIVED.plusSeconds(7200));
        fake.deliver(ALICE, "inbox", mime("<s4@evil.test>", "y@evil.test", subject), RECEIVED);
        fake.deliver(ALICE, "inbox", mime("<s5@evil.test>", "x@evil.test", "Other"), RECEIVED);

        List<MailboxCopy> copies = connector(RemovalMode.HARD_DELETE)
                .findCopies(
                        ALICE,
                        new CopyQuery(
                                null, "X@evil.test", subject, RECEIVED.minusSeconds(60), RECEIVED.plusSeconds(60), 10));

        assertEquals(
                List.of(target.immutableId()),
                copies.stream().map(MailboxCopy::providerId).toList());
    }

    @Test
    void readsMimeRemovesForGoodAndReinsertsIdenticalBytesIntoTheOriginalFolder() throws Exception {
        byte[] raw = mime("<undo-1@evil.test>", "x@evil.test", "Invoice");
        FakeMessage original = fake.deliver(ALICE, "inbox", raw, RECEIVED);
        GraphMailboxConnector connector = connector(RemovalMode.HARD_DELETE);
        MailboxCopy copy = connector.findCopies(ALICE, byId("undo-1@evil.test")).get(0);

        byte[] read;
        try (InputStream in = connector.openRaw(copy)) {
            read = in.readAllBytes();
        }
        ResponseOutcome removed = connector.remove(copy);
        ResponseOutcome again = connector.remove(copy);

        assertArrayEquals(raw, read);
        assertEquals(Status.DONE, removed.status());
        assertEquals(Status.ALREADY_DONE, again.status());
        assertEquals(1, fake.permanentDeletes(original.immutableId()));
        assertTrue(fake.messages(ALICE, "inbox").isEmpty());
        assertTrue(fake.messages(ALICE, "recoverableitemsdeletions").isEmpty(), "visible in Recoverable Items");
        assertTrue(connector.findCopies(ALICE, byId("undo-1@evil.test")).isEmpty());
        MailboxException gone = assertThrows(MailboxException.class, () -> connector.openRaw(copy));
        assertEquals(Status.NOT_FOUND, gone.outcome().status());

        ResponseOutcome restored = connector.reinsert(ALICE, copy.folder(), new ByteArrayInputStream(read));

        assertEquals(Status.DONE, restored.status(), restored.detail());
        List<FakeMessage> inbox = fake.messages(ALICE, "inbox");
        assertEquals(1, inbox.size());
        assertEquals(inbox.get(0).immutableId(), restored.detail());
        assertNotEquals(original.immutableId(), restored.detail());
        assertArrayEquals(raw, inbox.get(0).mime());
    }

    @Test
    void twoCopiesOfOneMessageInOneFolderAreBothPutBackAndTheirReadStateIsReported() throws Exception {
        byte[] raw = mime("<twice@evil.test>", "x@evil.test", "Invoice");
        FakeMessage first = fake.deliver(ALICE, "inbox", raw, RECEIVED);
        fake.deliver(ALICE, "inbox", raw, RECEIVED);
        fake.setRead(first, true);
        GraphMailboxConnector connector = connector(RemovalMode.HARD_DELETE);
        List<MailboxCopy> copies = connector.findCopies(ALICE, byId("twice@evil.test"));
        assertEquals(2, copies.size());
        assertEquals(
                Boolean.TRUE,
                copies.stream()
                        .filter(c -> c.providerId().equals(first.immutableId()))
                        .findFirst()
                        .orElseThrow()
                        .read());
        assertEquals(
                1, copies.stream().filter(c -> Boolean.FALSE.equals(c.read())).count());
        for (MailboxCopy copy : copies) {
            assertEquals(Status.DONE, connector.remove(copy).status());
        }

        ResponseOutcome one = connector.reinsert(ALICE, copies.get(0).folder(), new ByteArrayInputStream(raw));
        ResponseOutcome two = connector.reinsert(ALICE, copies.get(1).folder(), new ByteArrayInputStream(raw));

        assertEquals(Status.DONE, one.status(), one.detail());
        assertEquals(Status.DONE, two.status(), two.detail());
        assertNotEquals(one.detail(), two.detail());
        List<FakeMessage> inbox = fake.messages(ALICE, "inbox");
        assertEquals(2, inbox.size());
        for (FakeMessage back : inbox) {
            assertArrayEquals(raw, back.mime());
        }
    }

    @Test
    void reinsertsIntoTheInboxWhenTheOriginalFolderIsGone() throws Exception {
        byte[] raw = mime("<undo-2@evil.test>", "x@evil.test", "Invoice");

        ResponseOutcome restored =
                connector(RemovalMode.HARD_DELETE).reinsert(BOB, "AAMkAGnoSuchFolder", new ByteArrayInputStream(raw));

        assertEquals(Status.DONE, restored.status(), restored.detail());
        assertEquals(restored.detail(), fake.messages(BOB, "inbox").get(0).immutableId());
    }

    @Test
    void weakerModesMoveToDeletedItemsOrAHiddenFolderKeepingTheImmutableId() throws Exception {
        FakeMessage one = fake.deliver(ALICE, "inbox", mime("<w1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        FakeMessage two = fake.deliver(BOB, "inbox", mime("<w1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);

        ResponseOutcome toDeleted = connector(RemovalMode.DELETED_ITEMS)
                .remove(connector(RemovalMode.DELETED_ITEMS)
                        .findCopies(ALICE, byId("w1@evil.test"))
                        .get(0));
        GraphMailboxConnector hidden = connector(RemovalMode.HIDDEN_FOLDER);
        ResponseOutcome toHidden =
                hidden.remove(hidden.findCopies(BOB, byId("w1@evil.test")).get(0));

        assertEquals(Status.DONE, toDeleted.status(), toDeleted.detail());
        assertEquals(fake.folderId(ALICE, "deleteditems").orElseThrow(), one.folderId());
        assertEquals(Status.DONE, toHidden.status(), toHidden.detail());
        assertTrue(fake.hidden(BOB, two.folderId()));
        assertTrue(toHidden.detail().endsWith(two.immutableId()), toHidden.detail());
        assertEquals(0, fake.permanentDeletes(one.immutableId()) + fake.permanentDeletes(two.immutableId()));
    }

    @Test
    void throttlingIsReportedWithTheWaitAndNoRequestGoesOutBeforeItEnds() throws Exception {
        fake.deliver(ALICE, "inbox", mime("<t1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        GraphMailboxConnector connector = connector(RemovalMode.HARD_DELETE);
        fake.injectFaults(ALICE, 429, "2", 1);

        MailboxException first =
                assertThrows(MailboxException.class, () -> connector.findCopies(ALICE, byId("t1@evil.test")));
        long requests = fake.stats().requests();
        MailboxException second =
                assertThrows(MailboxException.class, () -> connector.findCopies(ALICE, byId("t1@evil.test")));

        assertEquals(Status.RETRYABLE, first.outcome().status());
        assertEquals("429 ApplicationThrottled", first.outcome().providerStatus());
        assertEquals(Duration.ofSeconds(2), first.outcome().retryAfter());
        assertEquals(Status.RETRYABLE, second.outcome().status());
        assertTrue(second.outcome().retryAfter().compareTo(Duration.ZERO) > 0);
        assertEquals(requests, fake.stats().requests(), "a request went out during the wait");
        Thread.sleep(second.outcome().retryAfter().toMillis() + 50);
        assertEquals(1, connector.findCopies(ALICE, byId("t1@evil.test")).size());
        assertEquals(0, fake.stats().earlyRequests());
        assertEquals(0, fake.stats().limitViolations());
    }

    @Test
    void theMailboxRequestWindowIsHonouredThroughItsRetryAfter() throws Exception {
        fake.close();
        fake = FakeGraphServer.start(FakeGraphLimits.exchangeOnline().withMailboxRequests(3, Duration.ofSeconds(2)));
        fake.registerApp("client-1", "s3cret");
        fake.deliver(ALICE, "inbox", mime("<t3@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        fake.deliver(BOB, "inbox", mime("<t3@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        GraphMailboxConnector connector = connector(RemovalMode.HARD_DELETE);
        connector.findCopies(ALICE, byId("t3@evil.test"));
        connector.findCopies(ALICE, byId("t3@evil.test"));

        MailboxException over =
                assertThrows(MailboxException.class, () -> connector.findCopies(ALICE, byId("t3@evil.test")));
        long requests = fake.stats().requests();
        MailboxException waiting =
                assertThrows(MailboxException.class, () -> connector.findCopies(ALICE, byId("t3@evil.test")));

        assertEquals(Status.RETRYABLE, over.outcome().status());
        assertEquals("429 ApplicationThrottled", over.outcome().providerStatus());
        assertTrue(over.outcome().retryAfter().compareTo(Duration.ofSeconds(3)) <= 0);
        assertEquals(Status.RETRYABLE, waiting.outcome().status());
        assertEquals(requests, fake.stats().requests());
        assertEquals(1, connector.findCopies(BOB, byId("t3@evil.test")).size(), "another mailbox is not held up");
        Thread.sleep(waiting.outcome().retryAfter().toMillis() + 50);
        assertEquals(1, connector.findCopies(ALICE, byId("t3@evil.test")).size());
        assertEquals(0, fake.stats().earlyRequests());
    }

    @Test
    void serviceUnavailableWithAnHttpDateOrNoRetryAfterIsRetryable() throws Exception {
        fake.deliver(ALICE, "inbox", mime("<t2@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        GraphMailboxConnector connector = connector(RemovalMode.HARD_DELETE);
        MailboxCopy copy = connector.findCopies(ALICE, byId("t2@evil.test")).get(0);
        fake.injectFaults(ALICE, 503, FakeGraphServer.httpDate(3), 1);
        fake.injectFaults(BOB, 503, null, 1);

        ResponseOutcome dated = connector.remove(copy);
        MailboxException plain =
                assertThrows(MailboxException.class, () -> connector.findCopies(BOB, byId("t2@evil.test")));

        assertEquals(Status.RETRYABLE, dated.status());
        assertEquals("503 ServiceUnavailable", dated.providerStatus());
        assertNotNull(dated.retryAfter());
        assertTrue(
                dated.retryAfter().compareTo(Duration.ofSeconds(4)) <= 0,
                dated.retryAfter().toString());
        assertEquals(Status.RETRYABLE, plain.outcome().status());
        assertNull(plain.outcome().retryAfter());
        assertTrue(connector.findCopies(BOB, byId("t2@evil.test")).isEmpty());
        assertEquals(0, fake.stats().earlyRequests());
    }

    @Test
    void refusalsArePermanentWithTheProvidersCodeAndMessage() throws Exception {
        fake.deny(BOB);

        MailboxException denied = assertThrows(
                MailboxException.class, () -> connector(RemovalMode.HARD_DELETE).findCopies(BOB, byId("a@b.test")));
        MailboxException badSecret = assertThrows(
                MailboxException.class,
                () -> connector(RemovalMode.HARD_DELETE, "wrong").findCopies(ALICE, byId("a@b.test")));
        MailboxException noUser = assertThrows(
                MailboxException.class,
                () -> connector(RemovalMode.HARD_DELETE).findCopies("nobody@contoso.test", byId("a@b.test")));

        assertEquals(Status.PERMANENT_FAILURE, denied.outcome().status());
        assertEquals("403 ErrorAccessDenied", denied.outcome().providerStatus());
        assertEquals(
                "Access is denied. Check credentials and try again.",
                denied.outcome().detail());
        assertEquals(Status.PERMANENT_FAILURE, badSecret.outcome().status());
        assertEquals("401 invalid_client", badSecret.outcome().providerStatus());
        assertTrue(
                badSecret.outcome().detail().contains("AADSTS7000215"),
                badSecret.outcome().detail());
        assertTrue(!badSecret.outcome().detail().contains("wrong"), "the secret leaked into the detail");
        assertEquals(Status.PERMANENT_FAILURE, noUser.outcome().status());
        assertEquals("404 ErrorInvalidUser", noUser.outcome().providerStatus());
    }

    @Test
    void neverMoreThanFourRequestsInFlightPerMailbox() throws Exception {
        fake.close();
        fake = FakeGraphServer.start(FakeGraphLimits.exchangeOnline().withLatency(Duration.ofMillis(25)));
        fake.registerApp("client-1", "s3cret");
        fake.deliver(ALICE, "inbox", mime("<c1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
        GraphMailboxConnector connector = connector(RemovalMode.HARD_DELETE);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<MailboxCopy>>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> connector.findCopies(ALICE, byId("c1@evil.test"))));
            }
            for (Future<List<MailboxCopy>> result : results) {
                assertEquals(1, result.get(30, TimeUnit.SECONDS).size());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(4, fake.stats().maxMailboxConcurrency());
        assertEquals(0, fake.stats().limitViolations());
        assertEquals(0, fake.stats().earlyRequests());
    }

    @Test
    void batchRemovalResendsOnlyTheThrottledItems() throws Exception {
        List<MailboxCopy> copies = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String mailbox = "user" + i + "@contoso.test";
            FakeMessage m = fake.deliver(mailbox, "inbox", mime("<b1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
            copies.add(new MailboxCopy(mailbox, m.folderId(), m.immutableId(), m.internetMessageId()));
            ids.add(m.immutableId());
        }
        for (int i = 0; i < 6; i++) {
            FakeMessage m = fake.deliver(ALICE, "inbox", mime("<b1@evil.test>", "x@evil.test", "Invoice"), RECEIVED);
            copies.add(new MailboxCopy(ALICE, m.folderId(), m.immutableId(), m.internetMessageId()));
            ids.add(m.immutableId());
        }
        fake.injectFaults("user3@contoso.test", 429, "1", 1);
        fake.injectFaults("user17@contoso.test", 503, "1", 1);
        fake.injectFaults("user29@contoso.test", 429, FakeGraphServer.httpDate(2), 1);

        Map<MailboxCopy, ResponseOutcome> outcomes =
                connector(RemovalMode.HARD_DELETE).removeAll(copies);

        assertEquals(36, outcomes.size());
        outcomes.forEach((copy, outcome) -> assertEquals(Status.DONE, outcome.status(), copy + ": " + outcome));
        for (String id : ids) {
            assertEquals(1, fake.permanentDeletes(id));
        }
        FakeGraphServer.Stats stats = fake.stats();
        assertEquals(36 + 3, stats.requests(), "only the three throttled items are sent twice");
        assertEquals(3, stats.injectedFaults());
        // Three batches for the 36 items (at most 4 of alice's per batch), then one per round of re-sent items.
        assertTrue(stats.batches() >= 4 && stats.batches() <= 6, "batches: " + stats.batches());
        assertEquals(0, stats.limitViolations());
        assertEquals(0, stats.earlyRequests());
        assertTrue(stats.maxMailboxConcurrency() <= 4);
    }

    @Test
    void listsAFolderAndMovesReportsIntoAFolderItCreates() throws Exception {
        String abuse = "abuse@contoso.test";
        fake.createMailbox(abuse);
        FakeMessage first = fake.deliver(abuse, "inbox", mime("<r1@contoso.test>", "a@contoso.test", "R1"), RECEIVED);
        fake.deliver(abuse, "inbox", mime("<r2@contoso.test>", "b@contoso.test", "R2"), RECEIVED.plusSeconds(5));
        GraphMailboxConnector connector = connector(RemovalMode.HARD_DELETE);

        List<MailboxCopy> listed = connector.list(abuse, "INBOX", 10);
        assertEquals(2, listed.size());
        assertTrue(listed.stream().anyMatch(c -> c.providerId().equals(first.immutableId())));
        assertEquals(1, connector.list(abuse, "INBOX", 1).size());

        MailboxException missing = assertThrows(MailboxException.class, () -> connector.list(abuse, "Processed", 10));
        assertEquals(Status.NOT_FOUND, missing.outcome().status());

        for (MailboxCopy copy : listed) {
            try (InputStream raw = connector.openRaw(copy)) {
                assertTrue(new String(raw.readAllBytes(), StandardCharsets.UTF_8).contains("Message-ID: <r"));
            }
            assertEquals(Status.DONE, connector.move(copy, "Processed").status());
        }
        assertEquals(0, connector.list(abuse, "inbox", 10).size());
        List<MailboxCopy> processed = connector.list(abuse, "Processed", 10);
        assertEquals(2, processed.size());
        assertEquals(2, fake.messages(abuse, "Processed").size());
        // Moved once, a copy is gone from where it was listed: a second move finds nothing to move.
        assertEquals(
                Status.ALREADY_DONE,
                connector.move(processed.get(0), "Processed").status());
    }
}
