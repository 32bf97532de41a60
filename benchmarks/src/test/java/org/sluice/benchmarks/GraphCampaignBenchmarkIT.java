package org.sluice.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.connector.graph.GraphMailboxConnector;
import org.sluice.connector.graph.GraphSettings;
import org.sluice.connector.graph.RemovalMode;
import org.sluice.fakes.graph.FakeGraphLimits;
import org.sluice.fakes.graph.FakeGraphServer;
import org.sluice.fakes.graph.FakeMessage;

/**
 * A removal campaign through the Graph connector against the fake Graph service with an app-wide rate limit: one
 * malicious message in each of {@code sluice.bench.graph.mailboxes} mailboxes (CI: 500; full size: 10,000), found by
 * Message-ID, then removed for good with {@code $batch}. Throttled work waits for its Retry-After and goes again,
 * as the response queue would do it. Two runs: the connector paced just under the app's rate (its {@code
 * maxRequestsPerSecond} setting), and unpaced, finding the limit through 429s. The report sets each completion time
 * beside the best time the limits allow: every request the campaign needs, sent at exactly the app-wide rate.
 */
public class GraphCampaignBenchmarkIT {

    private static final int MAILBOXES = Integer.getInteger("sluice.bench.graph.mailboxes", 500);
    private static final int RATE = Integer.getInteger("sluice.bench.graph.rate", 300);
    private static final int WORKERS = Integer.getInteger("sluice.bench.graph.workers", 32);
    private static final String MESSAGE_ID = "campaign-1@evil.test";
    /** Per mailbox: the search, the Sent Items lookup that comes with a hit, and the removal. */
    private static final int REQUESTS_PER_MAILBOX = 3;

    private record Run(String name, Duration took, FakeGraphServer.Stats stats, long retries) {}

    @Test
    public void campaignRemovesEveryCopyOnceWithinTheLimits() throws Exception {
        // Warms up the JIT (SDK, HTTP client, fake) so that neither reported run pays for it.
        campaign("warm-up", 0, Math.min(200, MAILBOXES));
        // Paced a little under the limit: the fake counts per calendar second, and an even pace at exactly the limit
        // can put one request too many into a second.
        Run paced = campaign("connector paced at 95 % of the app-wide rate", RATE * 0.95, MAILBOXES);
        Run unpaced = campaign("connector unpaced (finds the limit by 429s)", 0, MAILBOXES);

        report(List.of(paced, unpaced));
        assertEquals("a paced campaign must not cross a limit", 0, paced.stats().limitViolations());
        assertEquals(0, paced.stats().earlyRequests());
        assertEquals(0, unpaced.stats().earlyRequests());
    }

    private Run campaign(String name, double pace, int size) throws Exception {
        try (FakeGraphServer fake = FakeGraphServer.start(
                FakeGraphLimits.exchangeOnline().withAppRate(RATE).withLatency(Duration.ofMillis(2)))) {
            fake.registerApp("bench-client", "bench-secret");
            byte[] mime = ("From: x@evil.test\r\nSubject: Invoice\r\nMessage-ID: <" + MESSAGE_ID + ">\r\n\r\nPay.\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            List<String> mailboxes = new ArrayList<>();
            List<FakeMessage> planted = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String mailbox = "user" + i + "@contoso.test";
                mailboxes.add(mailbox);
                planted.add(fake.deliver(mailbox, "inbox", mime, Instant.parse("2026-12-04T09:00:00Z")));
            }
            GraphMailboxConnector connector = new GraphMailboxConnector(new GraphSettings(
                    "bench",
                    "bench-tenant",
                    "bench-client",
                    "bench-secret",
                    URI.create(fake.baseUrl()),
                    URI.create(fake.tokenEndpoint("bench-tenant")),
                    "https://graph.microsoft.com/.default",
                    RemovalMode.HARD_DELETE,
                    "Sluice Quarantine",
                    false,
                    4,
                    WORKERS,
                    pace,
                    Duration.ofSeconds(60),
                    5));
            AtomicLong retries = new AtomicLong();
            long started = System.nanoTime();
            ConcurrentLinkedQueue<MailboxCopy> found = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            try {
                List<Future<?>> searches = new ArrayList<>();
                for (String mailbox : mailboxes) {
                    searches.add(pool.submit(() -> {
                        while (true) {
                            try {
                                found.addAll(connector.findCopies(
                                        mailbox, new CopyQuery(MESSAGE_ID, null, null, null, null, 10)));
                                return null;
                            } catch (MailboxException e) {
                                assertEquals(
                                        e.getMessage(),
                                        ResponseOutcome.Status.RETRYABLE,
                                        e.outcome().status());
                                retries.incrementAndGet();
                                sleep(e.outcome().retryAfter());
                            }
                        }
                    }));
                }
                for (Future<?> search : searches) {
                    search.get(30, TimeUnit.MINUTES);
                }
                List<MailboxCopy> copies = new ArrayList<>(found);
                assertEquals(size, copies.size());
                List<Future<?>> removals = new ArrayList<>();
                for (int from = 0; from < copies.size(); from += 100) {
                    List<MailboxCopy> chunk = copies.subList(from, Math.min(copies.size(), from + 100));
                    removals.add(pool.submit(() -> {
                        List<MailboxCopy> left = chunk;
                        while (!left.isEmpty()) {
                            Map<MailboxCopy, ResponseOutcome> outcomes = connector.removeAll(left);
                            List<MailboxCopy> again = new ArrayList<>();
                            Duration wait = Duration.ZERO;
                            for (Map.Entry<MailboxCopy, ResponseOutcome> outcome : outcomes.entrySet()) {
                                if (outcome.getValue().status() == ResponseOutcome.Status.RETRYABLE) {
                                    again.add(outcome.getKey());
                                    Duration after = outcome.getValue().retryAfter();
                                    wait = after != null && after.compareTo(wait) > 0 ? after : wait;
                                } else {
                                    assertTrue(
                                            outcome.getValue().toString(),
                                            outcome.getValue().succeeded());
                                }
                            }
                            if (!again.isEmpty()) {
                                retries.addAndGet(again.size());
                                sleep(wait);
                            }
                            left = again;
                        }
                        return null;
                    }));
                }
                for (Future<?> removal : removals) {
                    removal.get(30, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
                connector.close();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            for (FakeMessage message : planted) {
                assertEquals("removed exactly once", 1, fake.permanentDeletes(message.immutableId()));
            }
            return new Run(name, took, fake.stats(), retries.get());
        }
    }

    private static void sleep(Duration wait) throws InterruptedException {
        Thread.sleep(wait == null ? 1000 : Math.max(1, wait.toMillis()));
    }

    private void report(List<Run> runs) throws Exception {
        long needed = (long) MAILBOXES * REQUESTS_PER_MAILBOX;
        double best = (double) needed / RATE;
        StringBuilder text = new StringBuilder();
        text.append("# Graph removal campaign against the fake Graph service\n\n");
        text.append(String.format(
                Locale.ROOT,
                "%,d mailboxes with one copy each; app-wide limit %,d requests/s (fake), Exchange's mailbox limits"
                        + " (4 concurrent, 10,000 per 10 minutes); %d worker threads; %d requests per mailbox"
                        + " (search, Sent Items lookup, permanent delete in $batch of 20).%n%n",
                MAILBOXES,
                RATE,
                WORKERS,
                REQUESTS_PER_MAILBOX));
        text.append(String.format(
                Locale.ROOT, "Best time the limits allow: %,d requests / %,d per s = %.1f s.%n%n", needed, RATE, best));
        text.append("| run | completion (s) | x best | requests | 429 for limits | early requests | retries |"
                + " batches | max per-mailbox concurrency |\n");
        text.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Run run : runs) {
            double seconds = run.took().toMillis() / 1000.0;
            text.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.2f | %,d | %,d | %,d | %,d | %,d | %d |%n",
                    run.name(),
                    seconds,
                    seconds / best,
                    run.stats().requests(),
                    run.stats().limitViolations(),
                    run.stats().earlyRequests(),
                    run.retries(),
                    run.stats().batches(),
                    run.stats().maxMailboxConcurrency()));
        }
        Path file = Path.of(System.getProperty("sluice.bench.graph.report", "target/graph-campaign-benchmark.md"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        System.out.println(text);
    }
}
