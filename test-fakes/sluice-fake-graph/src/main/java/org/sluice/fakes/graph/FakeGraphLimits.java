package org.sluice.fakes.graph;

import java.time.Duration;

/**
 * The limits the fake enforces by answering 429 with Retry-After, and its service time.
 *
 * @param perMailboxConcurrency requests in flight per mailbox (Exchange Online: 4)
 * @param perMailboxRequests requests per mailbox per {@code window} (Exchange Online: 10,000 per 10 minutes)
 * @param window the window of {@code perMailboxRequests}
 * @param appRequestsPerSecond requests per second across all mailboxes of the app, 0 for no such limit
 * @param throttleRetryAfterSeconds the Retry-After sent with a limit's 429
 * @param latency how long the fake takes to answer each request (so that concurrency is real)
 */
public record FakeGraphLimits(
        int perMailboxConcurrency,
        int perMailboxRequests,
        Duration window,
        int appRequestsPerSecond,
        int throttleRetryAfterSeconds,
        Duration latency) {

    /** Exchange Online's documented mailbox limits, no app-wide rate, 2 ms service time. */
    public static FakeGraphLimits exchangeOnline() {
        return new FakeGraphLimits(4, 10_000, Duration.ofMinutes(10), 0, 1, Duration.ofMillis(2));
    }

    public FakeGraphLimits withAppRate(int perSecond) {
        return new FakeGraphLimits(
                perMailboxConcurrency, perMailboxRequests, window, perSecond, throttleRetryAfterSeconds, latency);
    }

    public FakeGraphLimits withLatency(Duration serviceTime) {
        return new FakeGraphLimits(
                perMailboxConcurrency,
                perMailboxRequests,
                window,
                appRequestsPerSecond,
                throttleRetryAfterSeconds,
                serviceTime);
    }

    public FakeGraphLimits withMailboxRequests(int requests, Duration perWindow) {
        return new FakeGraphLimits(
                perMailboxConcurrency, requests, perWindow, appRequestsPerSecond, throttleRetryAfterSeconds, latency);
    }
}
