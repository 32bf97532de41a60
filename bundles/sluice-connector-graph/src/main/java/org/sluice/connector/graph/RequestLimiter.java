package org.sluice.connector.graph;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connector instance within Graph's limits: at most a few requests in flight per mailbox (Exchange allows 4),
 * a global cap on requests in flight, an optional global pace in requests per second, and no request to a mailbox
 * before the wait its last throttling answer asked for has passed.
 *
 * <p>Thread-safe. Mailbox keys are case-insensitive. Permits of several mailboxes (a {@code $batch}) are taken in a
 * fixed order, so two callers cannot deadlock each other.
 */
final class RequestLimiter {

    private final int perMailbox;
    private final Semaphore global;
    private final long paceNanos;
    private final Map<String, Semaphore> mailboxes = new ConcurrentHashMap<>();
    private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();

    /** Guards {@link #nextSlot}. */
    private final Object paceLock = new Object();

    private long nextSlot = System.nanoTime();

    RequestLimiter(int perMailbox, int globalInFlight, double requestsPerSecond) {
        if (perMailbox < 1 || globalInFlight < 1) {
            throw new IllegalArgumentException("in-flight limits must be at least 1");
        }
        this.perMailbox = perMailbox;
        this.global = new Semaphore(globalInFlight, true);
        this.paceNanos = requestsPerSecond > 0 ? (long) (1_000_000_000L / requestsPerSecond) : 0;
    }

    int perMailbox() {
        return perMailbox;
    }

    /** Records that the provider asked for no request to {@code mailbox} before {@code wait} has passed. */
    void block(String mailbox, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        blockedUntil.merge(key(mailbox), until, Math::max);
    }

    /** How long {@code mailbox} must still be left alone; zero when it may be called. */
    Duration blockedFor(String mailbox) {
        Long until = blockedUntil.get(key(mailbox));
        if (until == null) {
            return Duration.ZERO;
        }
        long left = until - System.nanoTime();
        if (left <= 0) {
            blockedUntil.remove(key(mailbox), until);
            return Duration.ZERO;
        }
        return Duration.ofNanos(left);
    }

    /**
     * Takes {@code count} in-flight permits of each given mailbox and one global permit, waiting at most {@code
     * timeout} in all, then waits for the pace slots of {@code requests} requests (a {@code $batch} counts as its
     * items, as Graph counts them). Returns {@code null} when the permits did not come in time. The caller closes the
     * returned permit.
     */
    Permit acquire(Map<String, Integer> counts, Duration timeout, int requests) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TreeMap<String, Integer> ordered = new TreeMap<>();
        counts.forEach((mailbox, n) -> ordered.merge(key(mailbox), n, Integer::sum));
        List<Runnable> releases = new ArrayList<>();
        try {
            for (Map.Entry<String, Integer> entry : ordered.entrySet()) {
                int n = Math.min(entry.getValue(), perMailbox);
                Semaphore semaphore = mailboxes.computeIfAbsent(entry.getKey(), k -> new Semaphore(perMailbox, true));
                if (!semaphore.tryAcquire(n, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    releases.forEach(Runnable::run);
                    return null;
                }
                releases.add(() -> semaphore.release(n));
            }
            if (!global.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                releases.forEach(Runnable::run);
                return null;
            }
            releases.add(global::release);
            pace(requests);
            return new Permit(releases);
        } catch (InterruptedException | RuntimeException e) {
            releases.forEach(Runnable::run);
            throw e;
        }
    }

    Permit acquire(String mailbox, Duration timeout) throws InterruptedException {
        return acquire(Map.of(mailbox, 1), timeout, 1);
    }

    private void pace(int requests) throws InterruptedException {
        if (paceNanos == 0) {
            return;
        }
        long slot;
        synchronized (paceLock) {
            long now = System.nanoTime();
            slot = Math.max(now, nextSlot);
            nextSlot = slot + paceNanos * requests;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static String key(String mailbox) {
        return mailbox.toLowerCase(Locale.ROOT);
    }

    /** Permits held for one request; closing returns them. */
    static final class Permit implements AutoCloseable {
        private final List<Runnable> releases;
        private boolean closed;

        private Permit(List<Runnable> releases) {
            this.releases = releases;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                releases.forEach(Runnable::run);
            }
        }
    }
}
