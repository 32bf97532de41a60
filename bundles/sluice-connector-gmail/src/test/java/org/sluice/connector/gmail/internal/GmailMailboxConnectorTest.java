package org.sluice.connector.gmail.internal;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseOutcome.Status;
import org.sluice.connector.gmail.fake.FakeGmailServer;
import org.sluice.connector.gmail.fake.FakeGmailServer.Fault;
import org.sluice.connector.gmail.fake.FakeServiceAccount;

/** The Gmail connector against the fake Gmail server on loopback. */
class GmailMailboxConnectorTest {

    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";
    private static final Instant RECEIVED = Instant.parse("2026-11-30T10:15:30Z");

    private final FakeServiceAccount account = new FakeServiceAccount("sluice@sluice-test.iam.gserviceaccount.com");
    private final List<Instant> pauses = new CopyOnWriteArrayList<>();
    private FakeGmailServer fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeGmailServer(account.clientEmail(), account.publicKey()).start();
        fake.addUser(ALICE);
        fake.addUser(BOB);
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    private GmailMailboxConnector connector(GmailMailboxConnector.RemoveMode mode, int units, Duration window)
            throws Exception {
        return connector(mode, units, window, Duration.ofSeconds(3));
    }

    private GmailMailboxConnector connector(
            GmailMailboxConnector.RemoveMode mode, int units, Duration window, Duration maxClientWait)
            throws Exception {
        GmailClients clients =
                new GmailClients(account.keyJson(fake.tokenUri()), null, fake.rootUrl(), Duration.ofSeconds(10));
        return new GmailMailboxConnector(
                new GmailMailboxConnector.Settings("test", mode, maxClientWait, 50),
                clients,
                new QuotaLimiter(units, window, Clock.systemUTC()),
                Clock.systemUTC(),
                pauses::add);
    }

    private GmailMailboxConnector connector() throws Exception {
        return connector(GmailMailboxConnector.RemoveMode.DELETE, 15_000, Duration.ofMinutes(1));
    }

    static byte[] mail(String messageId, String from, String subject) {
        String text = "Date: Mon, 30 Nov 2026 10:15:30 +0000\r\n"
                + "From: " + from + "\r\n"
                + "To: alice@example.com\r\n"
                + "Subject: " + subject + "\r\n"
                + (messageId == null ? "" : "Message-ID: " + messageId + "\r\n")
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "\r\n"
                + "Please open the attached invoice.\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CopyQuery byId(String id) {
        return new CopyQuery(id, null, null, null, null, 10);
    }

    @Test
    void findsACopyByMessageIdReadsItsRawBytesAndSkipsLooseMatches() throws Exception {
        byte[] raw = mail("<abc.123@evil.example>", "Mallory <mallory@evil.example>", "Invoice");
        String id = fake.addMessage(ALICE, raw, List.of("INBOX", "UNREAD"), RECEIVED);
        String decoy = fake.addMessage(
                ALICE, mail("<abc-123@evil.example>", "x@evil.example", "Invoice"), List.of("INBOX"), RECEIVED);
        GmailMailboxConnector gmail = connector();

        List<MailboxCopy> copies = gmail.findCopies(ALICE, byId("abc.123@evil.example"));

        assertEquals(List.of(new MailboxCopy(ALICE, "INBOX,UNREAD", id, "<abc.123@evil.example>", false)), copies);
        assertNotEquals(decoy, copies.get(0).providerId());
        try (InputStream in = gmail.openRaw(copies.get(0))) {
            assertArrayEquals(raw, in.readAllBytes());
        }
        assertEquals(0, fake.count("badQuery"));
        assertTrue(gmail.findCopies(BOB, byId("abc.123@evil.example")).isEmpty());
    }

    @Test
    void aCopyIsReadUnlessItCarriesTheUnreadLabel() throws Exception {
        fake.addMessage(ALICE, mail("<rd@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        fake.addMessage(ALICE, mail("<rd@evil.example>", "a@b", "s"), List.of("Label_3", "UNREAD"), RECEIVED);

        List<MailboxCopy> copies = connector().findCopies(ALICE, byId("rd@evil.example"));

        assertEquals(2, copies.size());
        assertEquals(
                java.util.Set.of(Boolean.TRUE, Boolean.FALSE),
                java.util.Set.of(copies.get(0).read(), copies.get(1).read()));
        assertEquals(
                Boolean.FALSE,
                copies.stream()
                        .filter(c -> c.folder().contains("UNREAD"))
                        .findFirst()
                        .orElseThrow()
                        .read());
    }

    @Test
    void craftedMessageIdsReachOnlyTheirExactCopy() throws Exception {
        List<String> crafted = List.of(
                "x\" OR from:* OR \"y@evil.example",
                "{a} -b* OR c@evil.example",
                "a\\\"b@evil.example",
                "(OR) in:anywhere @evil.example",
                "a b@evil.example",
                "rfc822msgid:other@evil.example");
        List<String> decoys = new ArrayList<>();
        decoys.add(
                fake.addMessage(ALICE, mail("<x.or.from.or.y@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED));
        decoys.add(fake.addMessage(ALICE, mail("<a-b-c@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED));
        decoys.add(fake.addMessage(ALICE, mail("<a.b@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED));
        decoys.add(fake.addMessage(ALICE, mail("<other@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED));
        decoys.add(
                fake.addMessage(ALICE, mail("<or.in.anywhere@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED));
        decoys.add(fake.addMessage(ALICE, mail(null, "a@b", "no id"), List.of("INBOX"), RECEIVED));
        List<String> targets = new ArrayList<>();
        for (String id : crafted) {
            targets.add(fake.addMessage(ALICE, mail("<" + id + ">", "a@b", "s"), List.of("INBOX"), RECEIVED));
        }
        GmailMailboxConnector gmail = connector();

        for (int i = 0; i < crafted.size(); i++) {
            List<MailboxCopy> copies = gmail.findCopies(ALICE, byId(crafted.get(i)));
            for (MailboxCopy copy : copies) {
                assertEquals(targets.get(i), copy.providerId(), "search for " + crafted.get(i) + " found " + copy);
                assertEquals(ResponseOutcome.Status.DONE, gmail.remove(copy).status());
            }
        }

        List<String> left = fake.messages(ALICE).stream()
                .map(FakeGmailServer.StoredMessage::id)
                .toList();
        assertTrue(left.containsAll(decoys), "a decoy was removed: " + left);
        assertEquals(0, fake.count("badQuery"), "a crafted value made the query unparsable");
        long removedTargets = targets.stream().filter(t -> !left.contains(t)).count();
        assertEquals(crafted.size(), removedTargets, "every crafted copy is found and removed: " + left);
        long before = fake.count("requests");
        assertTrue(gmail.findCopies(ALICE, byId("*@*")).isEmpty());
        assertTrue(gmail.findCopies(ALICE, byId("<\"\">")).isEmpty());
        assertEquals(before + 1, fake.count("requests"), "a value without words is searched once and matches nothing");
    }

    @Test
    void windowSearchReChecksSenderSubjectAndTime() throws Exception {
        String subject = "Re: \"Urgent\" {payment} -OR- *now*";
        String sender = "billing@evil.example";
        Instant from = RECEIVED.minusSeconds(60);
        Instant to = RECEIVED.plusSeconds(60);
        String target = fake.addMessage(
                ALICE, mail("<t1@evil.example>", "Billing <" + sender + ">", subject), List.of("INBOX"), RECEIVED);
        fake.addMessage(
                ALICE, mail("<d1@evil.example>", sender, "Re: Urgent payment OR now"), List.of("INBOX"), RECEIVED);
        fake.addMessage(ALICE, mail("<d2@evil.example>", "other@evil.example", subject), List.of("INBOX"), RECEIVED);
        fake.addMessage(
                ALICE, mail("<d3@evil.example>", sender, subject), List.of("INBOX"), RECEIVED.plusSeconds(3600));
        fake.addMessage(
                ALICE, mail("<d4@evil.example>", "billing@evil.example.net", subject), List.of("INBOX"), RECEIVED);
        GmailMailboxConnector gmail = connector();

        List<MailboxCopy> copies = gmail.findCopies(ALICE, new CopyQuery(null, sender, subject, from, to, 10));

        assertEquals(1, copies.size(), copies.toString());
        assertEquals(target, copies.get(0).providerId());
        assertEquals(0, fake.count("badQuery"));
    }

    @Test
    void searchFollowsPagesAndStopsAtTheCap() throws Exception {
        for (int i = 0; i < 130; i++) {
            fake.addMessage(ALICE, mail("<page@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED.plusSeconds(i));
        }
        GmailMailboxConnector gmail = new GmailMailboxConnector(
                new GmailMailboxConnector.Settings(
                        "paging", GmailMailboxConnector.RemoveMode.DELETE, Duration.ofSeconds(3), 500),
                new GmailClients(account.keyJson(fake.tokenUri()), null, fake.rootUrl(), Duration.ofSeconds(10)),
                new QuotaLimiter(15_000, Duration.ofMinutes(1), Clock.systemUTC()),
                Clock.systemUTC(),
                pauses::add);

        assertEquals(
                120,
                gmail.findCopies(ALICE, new CopyQuery("page@evil.example", null, null, null, null, 120))
                        .size());
        assertEquals(2, fake.count("list"), "the second page was read");
        assertEquals(
                3,
                gmail.findCopies(ALICE, new CopyQuery("page@evil.example", null, null, null, null, 3))
                        .size());
    }

    @Test
    void deleteIsPermanentAndARepeatIsAlreadyDone() throws Exception {
        String id = fake.addMessage(ALICE, mail("<d@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        GmailMailboxConnector gmail = connector();
        MailboxCopy copy = gmail.findCopies(ALICE, byId("d@evil.example")).get(0);

        assertEquals(Status.DONE, gmail.remove(copy).status());
        ResponseOutcome again = gmail.remove(copy);

        assertTrue(fake.messages(ALICE).isEmpty());
        assertEquals(Status.ALREADY_DONE, again.status());
        assertEquals("404 notFound", again.providerStatus());
        assertEquals(2, fake.count("delete"), "the repeat asked the server, which answered 404");
        assertEquals(id, copy.providerId());
        MailboxException missing = assertThrows(MailboxException.class, () -> gmail.openRaw(copy));
        assertEquals(Status.NOT_FOUND, missing.outcome().status());
    }

    @Test
    void trashModeMovesToTheTrashAndLaterSearchesSkipIt() throws Exception {
        String id = fake.addMessage(ALICE, mail("<t@evil.example>", "a@b", "s"), List.of("INBOX", "UNREAD"), RECEIVED);
        GmailMailboxConnector gmail = connector(GmailMailboxConnector.RemoveMode.TRASH, 15_000, Duration.ofMinutes(1));
        MailboxCopy copy = gmail.findCopies(ALICE, byId("t@evil.example")).get(0);

        assertEquals(Status.DONE, gmail.remove(copy).status());

        FakeGmailServer.StoredMessage stored = fake.messages(ALICE).get(0);
        assertEquals(id, stored.id());
        assertTrue(stored.labels().contains("TRASH"));
        assertTrue(!stored.labels().contains("INBOX"));
        assertEquals(Status.ALREADY_DONE, gmail.remove(copy).status());
        assertTrue(gmail.findCopies(ALICE, byId("t@evil.example")).isEmpty());
        assertEquals(1, connector().findCopies(ALICE, byId("t@evil.example")).size(), "delete mode still finds it");
    }

    @Test
    void reinsertRestoresIdenticalBytesAndLabels() throws Exception {
        byte[] raw = mail("<r@evil.example>", "a@b", "s");
        fake.addMessage(ALICE, raw, List.of("INBOX", "UNREAD", "Label_7"), RECEIVED);
        GmailMailboxConnector gmail = connector();
        MailboxCopy copy = gmail.findCopies(ALICE, byId("r@evil.example")).get(0);
        byte[] vault;
        try (InputStream in = gmail.openRaw(copy)) {
            vault = in.readAllBytes();
        }
        assertEquals(Status.DONE, gmail.remove(copy).status());

        ResponseOutcome restored = gmail.reinsert(ALICE, copy.folder(), new ByteArrayInputStream(vault));

        assertEquals(Status.DONE, restored.status());
        FakeGmailServer.StoredMessage back = fake.messages(ALICE).get(0);
        assertEquals(1, fake.messages(ALICE).size());
        assertEquals(restored.detail(), back.id());
        assertNotEquals(copy.providerId(), back.id());
        assertArrayEquals(raw, back.raw());
        assertEquals(List.of("INBOX", "UNREAD", "Label_7"), back.labels());
        assertEquals(RECEIVED.toEpochMilli(), back.internalDate(), "the date header gives the internal date");
        assertEquals(1, fake.count("insert"));
    }

    @Test
    void clientSideQuotaKeepsEveryUserWithinTheServersLimit() throws Exception {
        fake.setQuota(60, Duration.ofSeconds(2));
        for (int i = 0; i < 4; i++) {
            fake.addMessage(ALICE, mail("<q" + i + "@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
            fake.addMessage(BOB, mail("<q" + i + "@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        }
        GmailMailboxConnector gmail = connector(GmailMailboxConnector.RemoveMode.DELETE, 60, Duration.ofSeconds(2));

        long started = System.nanoTime();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                for (String user : List.of(ALICE, BOB)) {
                    List<MailboxCopy> copies = gmail.findCopies(user, byId("q" + i + "@evil.example"));
                    assertEquals(1, copies.size());
                    try (InputStream in = gmail.openRaw(copies.get(0))) {
                        assertTrue(in.readAllBytes().length > 0);
                    }
                }
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(0, fake.count("limitViolations"), "requests over a user's budget reached the server");
        assertEquals(0, fake.count("earlyRequests"));
        // 12 operations of 15 units per user against 60 units per 2 s: at least 4 s of waiting.
        assertTrue(took.compareTo(Duration.ofSeconds(4)) >= 0, "the budget was not applied: " + took);
    }

    @Test
    void aServerRefusalIsRetryableWithItsWaitAndNothingIsSentBeforeTheWaitHasPassed() throws Exception {
        fake.setQuota(20, Duration.ofSeconds(3));
        fake.addMessage(ALICE, mail("<w@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        GmailMailboxConnector gmail =
                connector(GmailMailboxConnector.RemoveMode.DELETE, 15_000, Duration.ofMinutes(1), Duration.ZERO);

        List<MailboxCopy> copies = gmail.findCopies(ALICE, byId("w@evil.example"));
        gmail.findCopies(ALICE, byId("w@evil.example"));
        MailboxException refused =
                assertThrows(MailboxException.class, () -> gmail.findCopies(ALICE, byId("w@evil.example")));
        long sent = fake.count("requests");
        ResponseOutcome held = gmail.remove(copies.get(0));

        assertEquals(1, copies.size());
        assertEquals(Status.RETRYABLE, refused.outcome().status());
        assertEquals("429 rateLimitExceeded", refused.outcome().providerStatus());
        assertNotNull(refused.outcome().retryAfter());
        assertTrue(
                refused.outcome().retryAfter().compareTo(Duration.ofMillis(500)) > 0,
                refused.outcome().toString());
        assertEquals(Status.RETRYABLE, held.status());
        assertEquals(sent, fake.count("requests"), "a request was sent while the server's wait ran");
        assertEquals(0, fake.count("earlyRequests"));

        Thread.sleep(refused.outcome().retryAfter().toMillis() + 3_100);
        assertEquals(Status.DONE, gmail.remove(copies.get(0)).status());
        assertEquals(0, fake.count("earlyRequests"));
    }

    @Test
    void injected429And403And503AreRetryableWithTheServersWait() throws Exception {
        fake.addMessage(ALICE, mail("<f@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        GmailMailboxConnector gmail = connector();
        MailboxCopy copy = gmail.findCopies(ALICE, byId("f@evil.example")).get(0);

        fake.inject(ALICE, Fault.TOO_MANY_REQUESTS, Duration.ofSeconds(1));
        ResponseOutcome tooMany = gmail.remove(copy);
        Thread.sleep(1_100);
        fake.inject(ALICE, Fault.RATE_LIMIT_403, Duration.ofSeconds(2));
        ResponseOutcome rate403 = gmail.remove(copy);
        Thread.sleep(2_100);
        fake.inject(ALICE, Fault.USER_RATE_LIMIT_403, Duration.ofSeconds(1));
        ResponseOutcome user403 = gmail.remove(copy);
        Thread.sleep(1_100);
        fake.inject(ALICE, Fault.UNAVAILABLE, null);
        ResponseOutcome unavailable = gmail.remove(copy);
        ResponseOutcome done = gmail.remove(copy);

        assertEquals(Status.RETRYABLE, tooMany.status());
        assertEquals("429 rateLimitExceeded", tooMany.providerStatus());
        assertBetween(tooMany.retryAfter(), Duration.ofMillis(500), Duration.ofMillis(1_000));
        assertEquals(Status.RETRYABLE, rate403.status());
        assertEquals("403 rateLimitExceeded", rate403.providerStatus());
        assertBetween(rate403.retryAfter(), Duration.ofMillis(1_500), Duration.ofMillis(2_000));
        assertEquals(Status.RETRYABLE, user403.status());
        assertEquals("403 userRateLimitExceeded", user403.providerStatus());
        assertEquals(Duration.ofSeconds(1), user403.retryAfter());
        assertEquals(Status.RETRYABLE, unavailable.status());
        assertEquals("503 backendError", unavailable.providerStatus());
        assertNull(unavailable.retryAfter());
        assertEquals(Status.DONE, done.status());
        assertEquals(0, fake.count("earlyRequests"));
    }

    @Test
    void dailyLimitExceededPausesTheWholeInstanceUntilMidnightPacificTime() throws Exception {
        fake.addMessage(ALICE, mail("<p@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        fake.addMessage(BOB, mail("<p@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        GmailMailboxConnector gmail = connector();
        MailboxCopy copy = gmail.findCopies(ALICE, byId("p@evil.example")).get(0);
        fake.inject(ALICE, Fault.DAILY_LIMIT, null);
        Instant start = Instant.now();

        ResponseOutcome first = gmail.remove(copy);
        long sent = fake.count("requests");
        MailboxException bobs =
                assertThrows(MailboxException.class, () -> gmail.findCopies(BOB, byId("p@evil.example")));

        ZoneId pacific = ZoneId.of("America/Los_Angeles");
        Instant reset = LocalDate.now(pacific).plusDays(1).atStartOfDay(pacific).toInstant();
        assertEquals(Status.RETRYABLE, first.status());
        assertEquals("403 dailyLimitExceeded", first.providerStatus());
        assertBetween(
                first.retryAfter(),
                Duration.between(Instant.now(), reset).minusSeconds(5),
                Duration.between(start, reset));
        assertEquals(List.of(reset), pauses);
        assertEquals(reset, gmail.pausedUntil());
        assertEquals(Status.RETRYABLE, bobs.outcome().status());
        assertTrue(bobs.outcome().retryAfter().compareTo(Duration.ofMinutes(1)) > 0);
        assertEquals(sent, fake.count("requests"), "a paused instance sent a request");
        assertEquals(1, fake.messages(ALICE).size(), "the refused delete removed nothing");
    }

    @Test
    void refusedDelegationAndBadCredentialsArePermanentWithReason() throws Exception {
        GmailMailboxConnector gmail = connector();
        MailboxException unknownUser = assertThrows(
                MailboxException.class, () -> gmail.findCopies("nobody@example.com", byId("x@evil.example")));
        FakeServiceAccount stranger = new FakeServiceAccount(account.clientEmail());
        GmailMailboxConnector forged = new GmailMailboxConnector(
                new GmailMailboxConnector.Settings(
                        "forged", GmailMailboxConnector.RemoveMode.DELETE, Duration.ofSeconds(3), 50),
                new GmailClients(stranger.keyJson(fake.tokenUri()), null, fake.rootUrl(), Duration.ofSeconds(10)),
                new QuotaLimiter(15_000, Duration.ofMinutes(1), Clock.systemUTC()),
                Clock.systemUTC(),
                pauses::add);
        ResponseOutcome badKey = forged.remove(new MailboxCopy(ALICE, "INBOX", "1", null));

        assertEquals(Status.PERMANENT_FAILURE, unknownUser.outcome().status());
        assertEquals("400 token", unknownUser.outcome().providerStatus());
        assertTrue(
                unknownUser.outcome().detail().contains("invalid_grant"),
                unknownUser.outcome().detail());
        assertEquals(Status.PERMANENT_FAILURE, badKey.status());
        assertTrue(badKey.detail().contains("Invalid JWT Signature"), badKey.detail());
        assertEquals(0, fake.count("requests"), "no Gmail request without a token");
    }

    @Test
    void theTokenEndpointCanBeConfiguredApartFromTheKey() throws Exception {
        fake.addMessage(ALICE, mail("<k@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        GmailClients clients = new GmailClients(
                account.keyJson("http://127.0.0.1:9/unused"),
                URI.create(fake.tokenUri()),
                fake.rootUrl(),
                Duration.ofSeconds(10));
        GmailMailboxConnector gmail = new GmailMailboxConnector(
                new GmailMailboxConnector.Settings("t", GmailMailboxConnector.RemoveMode.DELETE, Duration.ZERO, 5),
                clients,
                new QuotaLimiter(15_000, Duration.ofMinutes(1), Clock.systemUTC()),
                Clock.systemUTC(),
                pauses::add);

        assertEquals(1, gmail.findCopies(ALICE, byId("k@evil.example")).size());
        assertEquals(1, fake.count("token"));
    }

    @Test
    void concurrentCallsForSeveralUsersStayWithinEachUsersBudget() throws Exception {
        fake.setQuota(100, Duration.ofSeconds(2));
        List<String> users = List.of(ALICE, BOB, "carol@example.com");
        fake.addUser("carol@example.com");
        for (String user : users) {
            fake.addMessage(user, mail("<c@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        }
        GmailMailboxConnector gmail =
                connector(GmailMailboxConnector.RemoveMode.DELETE, 100, Duration.ofSeconds(2), Duration.ofSeconds(20));
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();

        for (int t = 0; t < 6; t++) {
            String user = users.get(t % users.size());
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 6; i++) {
                        List<MailboxCopy> copies = gmail.findCopies(user, byId("c@evil.example"));
                        try (InputStream in = gmail.openRaw(copies.get(0))) {
                            in.readAllBytes();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }

        assertEquals(List.of(), failures);
        assertEquals(0, fake.count("limitViolations"));
        assertEquals(0, fake.count("earlyRequests"));
        assertEquals(6 * 6 * 3, fake.count("requests"));
    }

    @Test
    void aDailyLimitPauseEndsAtItsTimeAndCallsGoOutAgain() throws Exception {
        fake.addMessage(ALICE, mail("<e@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        MovableClock clock = new MovableClock();
        GmailMailboxConnector gmail = new GmailMailboxConnector(
                new GmailMailboxConnector.Settings(
                        "moving", GmailMailboxConnector.RemoveMode.DELETE, Duration.ofSeconds(3), 50),
                new GmailClients(account.keyJson(fake.tokenUri()), null, fake.rootUrl(), Duration.ofSeconds(10)),
                new QuotaLimiter(15_000, Duration.ofMinutes(1), Clock.systemUTC()),
                clock,
                pauses::add);
        fake.inject(ALICE, Fault.DAILY_LIMIT, null);
        assertThrows(MailboxException.class, () -> gmail.findCopies(ALICE, byId("e@evil.example")));
        Instant until = gmail.pausedUntil();

        clock.advance(Duration.between(clock.instant(), until).plusSeconds(1));
        List<MailboxCopy> copies = gmail.findCopies(ALICE, byId("e@evil.example"));

        assertEquals(1, copies.size());
        assertNull(gmail.pausedUntil());
        assertEquals(2, pauses.size());
        assertEquals(until, pauses.get(0));
        assertNull(pauses.get(1));
    }

    /** The system clock moved forward by a settable amount. */
    private static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    @Test
    void theSendersOwnSentCopyIsLeftAloneUnlessConfigured() throws Exception {
        String sent = fake.addMessage(ALICE, mail("<s@evil.example>", ALICE, "s"), List.of("SENT"), RECEIVED);
        String toSelf =
                fake.addMessage(ALICE, mail("<s@evil.example>", ALICE, "s"), List.of("SENT", "INBOX"), RECEIVED);
        GmailMailboxConnector including = new GmailMailboxConnector(
                new GmailMailboxConnector.Settings(
                        "sent", GmailMailboxConnector.RemoveMode.DELETE, Duration.ofSeconds(3), 50, true),
                new GmailClients(account.keyJson(fake.tokenUri()), null, fake.rootUrl(), Duration.ofSeconds(10)),
                new QuotaLimiter(15_000, Duration.ofMinutes(1), Clock.systemUTC()),
                Clock.systemUTC(),
                pauses::add);

        List<MailboxCopy> byDefault = connector().findCopies(ALICE, byId("s@evil.example"));
        List<MailboxCopy> all = including.findCopies(ALICE, byId("s@evil.example"));

        assertEquals(
                List.of(toSelf), byDefault.stream().map(MailboxCopy::providerId).toList());
        assertEquals(2, all.size());
        assertTrue(all.stream().anyMatch(c -> c.providerId().equals(sent)));
    }

    @Test
    void twoCopiesOfOneMessageInOneMailboxAreEachRestored() throws Exception {
        byte[] first = mail("<twice@evil.example>", "a@b", "s");
        byte[] second = ("X-Copy: 2\r\n" + new String(first, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        fake.addMessage(ALICE, first, List.of("INBOX", "UNREAD"), RECEIVED);
        fake.addMessage(ALICE, second, List.of("CATEGORY_UPDATES"), RECEIVED);
        fake.addMessage(ALICE, first, List.of("Label_9"), RECEIVED);
        GmailMailboxConnector gmail = connector();
        List<MailboxCopy> copies = gmail.findCopies(ALICE, byId("twice@evil.example"));
        assertEquals(3, copies.size());
        List<byte[]> vault = new ArrayList<>();
        for (MailboxCopy copy : copies) {
            try (InputStream in = gmail.openRaw(copy)) {
                vault.add(in.readAllBytes());
            }
            assertEquals(Status.DONE, gmail.remove(copy).status());
        }

        for (int i = 0; i < copies.size(); i++) {
            ResponseOutcome restored =
                    gmail.reinsert(ALICE, copies.get(i).folder(), new ByteArrayInputStream(vault.get(i)));
            assertEquals(Status.DONE, restored.status(), copies.get(i).folder());
        }

        assertEquals(3, fake.count("insert"));
        List<FakeGmailServer.StoredMessage> back = fake.messages(ALICE);
        assertEquals(3, back.size());
        assertTrue(back.stream()
                .anyMatch(m -> Arrays.equals(first, m.raw()) && m.labels().equals(List.of("INBOX", "UNREAD"))));
        assertTrue(back.stream()
                .anyMatch(m -> Arrays.equals(second, m.raw()) && m.labels().equals(List.of("CATEGORY_UPDATES"))));
        assertTrue(back.stream()
                .anyMatch(m -> Arrays.equals(first, m.raw()) && m.labels().equals(List.of("Label_9"))));
    }

    @Test
    void aReinsertIntoSpamKeepsTheSpamLabelAndReportsTheNewId() throws Exception {
        byte[] raw = mail("<spam@evil.example>", "a@b", "s");
        GmailMailboxConnector gmail = connector();

        ResponseOutcome first = gmail.reinsert(ALICE, "SPAM", new ByteArrayInputStream(raw));

        assertEquals(Status.DONE, first.status());
        assertEquals(first.detail(), fake.messages(ALICE).get(0).id());
        assertEquals(1, fake.messages(ALICE).size());
        assertEquals(List.of("SPAM"), fake.messages(ALICE).get(0).labels());
    }

    @Test
    void aMalformedMailboxIsAPermanentFailureAndNothingIsSent() throws Exception {
        GmailMailboxConnector gmail = connector();

        MailboxException search = assertThrows(MailboxException.class, () -> gmail.findCopies("alice", byId("a@b")));
        ResponseOutcome removal = gmail.remove(new MailboxCopy(" ", "INBOX", "1", null));
        ResponseOutcome insert = gmail.reinsert("@example.com", "INBOX", new ByteArrayInputStream(new byte[] {'x'}));

        assertEquals(Status.PERMANENT_FAILURE, search.outcome().status());
        assertEquals(Status.PERMANENT_FAILURE, removal.status());
        assertEquals(Status.PERMANENT_FAILURE, insert.status());
        assertEquals("bad-mailbox", insert.providerStatus());
        assertEquals(0, fake.count("requests") + fake.count("token"));
    }

    @Test
    void aHeldDeleteTakesEffectOnlyWhenReleased() throws Exception {
        fake.addMessage(ALICE, mail("<h@evil.example>", "a@b", "s"), List.of("INBOX"), RECEIVED);
        GmailMailboxConnector gmail = connector();
        MailboxCopy copy = gmail.findCopies(ALICE, byId("h@evil.example")).get(0);
        FakeGmailServer.Hold hold = fake.holdNext("delete");
        List<ResponseOutcome> outcomes = new CopyOnWriteArrayList<>();
        Thread caller = new Thread(() -> {
            try {
                outcomes.add(gmail.remove(copy));
            } catch (Exception e) {
                outcomes.add(ResponseOutcome.permanentFailure("test", e.toString()));
            }
        });

        caller.start();
        assertTrue(hold.awaitArrival(Duration.ofSeconds(10)));
        assertEquals(1, fake.messages(ALICE).size(), "the held delete took effect early");
        hold.release();
        caller.join(10_000);

        assertEquals(
                List.of(Status.DONE),
                outcomes.stream().map(ResponseOutcome::status).toList());
        assertTrue(fake.messages(ALICE).isEmpty());
    }

    private static void assertBetween(Duration actual, Duration low, Duration high) {
        assertNotNull(actual);
        assertTrue(
                actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0,
                actual + " is not between " + low + " and " + high);
    }

    @Test
    void listsALabelAndMovesReportsToALabelItCreates() throws Exception {
        String first =
                fake.addMessage(ALICE, mail("<r1@example.com>", "a@example.com", "R1"), List.of("INBOX"), RECEIVED);
        String second = fake.addMessage(
                ALICE, mail("<r2@example.com>", "b@example.com", "R2"), List.of("INBOX", "UNREAD"), RECEIVED);
        fake.addMessage(ALICE, mail("<other@example.com>", "c@example.com", "Sent"), List.of("SENT"), RECEIVED);
        GmailMailboxConnector gmail = connector();

        List<MailboxCopy> listed = gmail.list(ALICE, "inbox", 10);
        assertEquals(
                List.of(first, second).stream().sorted().toList(),
                listed.stream().map(MailboxCopy::providerId).sorted().toList());
        assertTrue(listed.stream().allMatch(c -> c.folder().equals("INBOX")));
        assertEquals(1, gmail.list(ALICE, "INBOX", 1).size());
        MailboxException missing = assertThrows(MailboxException.class, () -> gmail.list(ALICE, "Processed", 10));
        assertEquals(Status.NOT_FOUND, missing.outcome().status());

        for (MailboxCopy copy : listed) {
            assertEquals(Status.DONE, gmail.move(copy, "Processed").status());
        }
        assertTrue(gmail.list(ALICE, "INBOX", 10).isEmpty());
        List<MailboxCopy> processed = gmail.list(ALICE, "Processed", 10);
        assertEquals(2, processed.size());
        String label = processed.get(0).folder();
        assertTrue(label.startsWith("Label_"), label);
        assertEquals(2, fake.withLabel(ALICE, label).size());
        assertTrue(fake.withLabel(ALICE, "INBOX").isEmpty());
        // The other labels stay (UNREAD), and a message that is gone is reported as not found.
        assertTrue(fake.withLabel(ALICE, "UNREAD").contains(second));
        assertEquals(
                Status.NOT_FOUND,
                gmail.move(new MailboxCopy(ALICE, "INBOX", "no-such-id", null), "Processed")
                        .status());
    }
}
