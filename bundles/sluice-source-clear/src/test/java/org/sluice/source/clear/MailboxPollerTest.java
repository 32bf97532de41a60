package org.sluice.source.clear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.api.clear.Disposition;
import org.sluice.api.clear.ReportIntake;
import org.sluice.api.clear.ReportOutcome;
import org.sluice.api.incident.Severity;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.mailbox.MailboxFolders;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.security.Actor;
import org.sluice.api.source.SourceHealth.Status;

/**
 * The poll logic against an in-memory mailbox: reports are handed in and moved in order, a report the intake could
 * not keep stays in the inbox, an unreachable mailbox backs off and recovers, an oversized report goes to the failed
 * folder.
 */
class MailboxPollerTest {

    /** A mailbox of folders holding raw messages by id, reachable or not. */
    static final class Memory implements MailboxConnector, MailboxFolders {
        final Map<String, Map<String, byte[]>> folders = new LinkedHashMap<>();
        boolean reachable = true;
        int next = 1;

        void deliver(String folder, String text) {
            folders.computeIfAbsent(folder, f -> new LinkedHashMap<>())
                    .put("1:" + next++, text.getBytes(StandardCharsets.UTF_8));
        }

        int size(String folder) {
            return folders.getOrDefault(folder, Map.of()).size();
        }

        @Override
        public String type() {
            return "imap";
        }

        @Override
        public String instanceId() {
            return "mem";
        }

        @Override
        public List<MailboxCopy> findCopies(String mailbox, CopyQuery query) {
            return List.of();
        }

        @Override
        public InputStream openRaw(MailboxCopy copy) throws Exception {
            byte[] raw = folders.getOrDefault(copy.folder(), Map.of()).get(copy.providerId());
            if (raw == null) {
                throw new MailboxException(ResponseOutcome.notFound("gone"));
            }
            return new ByteArrayInputStream(raw);
        }

        @Override
        public ResponseOutcome remove(MailboxCopy copy) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ResponseOutcome reinsert(String mailbox, String folder, InputStream raw) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MailboxCopy> list(String mailbox, String folder, int max) throws Exception {
            if (!reachable) {
                throw new MailboxException(ResponseOutcome.retryable("imap", "connection refused", null));
            }
            List<MailboxCopy> out = new ArrayList<>();
            for (String id : folders.getOrDefault(folder, Map.of()).keySet()) {
                if (out.size() < max) {
                    out.add(new MailboxCopy(mailbox, folder, id, null));
                }
            }
            return out;
        }

        @Override
        public ResponseOutcome move(MailboxCopy copy, String target) {
            byte[] raw =
                    folders.getOrDefault(copy.folder(), new LinkedHashMap<>()).remove(copy.providerId());
            if (raw == null) {
                return ResponseOutcome.notFound("gone");
            }
            folders.computeIfAbsent(target, f -> new LinkedHashMap<>()).put(copy.providerId(), raw);
            return ResponseOutcome.done("moved");
        }
    }

    /** Records what it was handed; fails while {@code broken}, as when the raw-mail store is full. */
    static final class Intake implements ReportIntake {
        final List<String> received = new ArrayList<>();
        boolean broken;

        @Override
        public ReportOutcome submit(byte[] raw, String origin, Actor actor) throws IOException {
            if (broken) {
                throw new IOException("disk full");
            }
            received.add(new String(raw, StandardCharsets.UTF_8));
            return new ReportOutcome(
                    received.size(),
                    1,
                    true,
                    "analysed",
                    "sha",
                    null,
                    "none",
                    null,
                    null,
                    false,
                    Disposition.UNKNOWN,
                    null,
                    null,
                    null,
                    "",
                    Severity.LOW,
                    List.of(),
                    "none");
        }
    }

    private final Memory mailbox = new Memory();
    private final Intake intake = new Intake();

    private MailboxPoller poller(int batch, long maxBytes) {
        return new MailboxPoller(
                new MailboxPoller.Settings(
                        "test",
                        "imap",
                        "mem",
                        "abuse@example.org",
                        "INBOX",
                        "Processed",
                        "Failed",
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        batch,
                        maxBytes),
                () -> List.of(mailbox),
                intake,
                Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void reportsAreHandedInAndMovedInOrder() {
        mailbox.deliver("INBOX", "one");
        mailbox.deliver("INBOX", "two");
        mailbox.deliver("INBOX", "three");
        MailboxPoller poller = poller(2, 1000);
        assertEquals(Duration.ZERO, poller.poll(), "a full batch polls again at once");
        assertEquals(Duration.ofSeconds(10), poller.poll());
        assertEquals(List.of("one", "two", "three"), intake.received);
        assertEquals(0, mailbox.size("INBOX"));
        assertEquals(3, mailbox.size("Processed"));
        assertEquals(Status.ONLINE, poller.health().status());
        assertEquals(3, poller.handled());
    }

    @Test
    void aReportTheIntakeCannotKeepStaysInTheInbox() {
        mailbox.deliver("INBOX", "one");
        intake.broken = true;
        MailboxPoller poller = poller(10, 1000);
        assertEquals(Duration.ofSeconds(10), poller.poll());
        assertEquals(Status.OFFLINE_COMMUNICATION, poller.health().status());
        assertEquals(1, mailbox.size("INBOX"));
        assertEquals(Duration.ofSeconds(20), poller.poll(), "backs off");
        intake.broken = false;
        assertEquals(Duration.ofSeconds(10), poller.poll());
        assertEquals(1, mailbox.size("Processed"));
        assertEquals(Status.ONLINE, poller.health().status());
    }

    @Test
    void anUnreachableMailboxBacksOffUpToTheLongestWaitAndRecovers() {
        mailbox.reachable = false;
        MailboxPoller poller = poller(10, 1000);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(poller.poll());
        }
        assertEquals(
                List.of(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(40),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60)),
                waits);
        assertEquals(Status.OFFLINE_COMMUNICATION, poller.health().status());
        assertTrue(
                poller.health().detail().contains("connection refused"),
                poller.health().detail());
        mailbox.reachable = true;
        assertEquals(Duration.ofSeconds(10), poller.poll());
        assertEquals(Status.ONLINE, poller.health().status());
    }

    @Test
    void anOversizedReportGoesToTheFailedFolderUnread() {
        mailbox.deliver("INBOX", "x".repeat(200));
        mailbox.deliver("INBOX", "small");
        MailboxPoller poller = poller(10, 100);
        poller.poll();
        assertEquals(List.of("small"), intake.received);
        assertEquals(1, mailbox.size("Failed"));
        assertEquals(1, mailbox.size("Processed"));
    }

    @Test
    void aMissingConnectorIsAConfigurationProblem() {
        MailboxPoller poller = new MailboxPoller(
                new MailboxPoller.Settings(
                        "test",
                        "imap",
                        "other",
                        "abuse@example.org",
                        "INBOX",
                        "Processed",
                        "Failed",
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        10,
                        100),
                () -> List.of(mailbox),
                intake,
                Clock.systemUTC());
        poller.poll();
        assertEquals(Status.OFFLINE_CONFIGURATION, poller.health().status());
        assertTrue(
                poller.health().detail().contains("imap/other"), poller.health().detail());
    }
}
