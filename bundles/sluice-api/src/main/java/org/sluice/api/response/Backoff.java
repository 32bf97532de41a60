package org.sluice.api.response;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The retry schedule of failed responses: a pure function of the retry number and a random source.
 *
 * <p>The wait before retry <i>n</i> is 2 s, 4 s, 6 s, 10 s, 4 min, 6 min, 20 min, 33 min, 53 min and 1 h for
 * <i>n</i> = 1..10, and 1 h for every retry after the tenth. Each wait gets a uniformly random jitter of 1,600 to
 * 2,400 ms (inclusive) added. A server's Retry-After wins when it is longer than the scheduled wait.
 */
public final class Backoff {

    private static final List<Duration> BASE = List.of(
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(6),
            Duration.ofSeconds(10),
            Duration.ofMinutes(4),
            Duration.ofMinutes(6),
            Duration.ofMinutes(20),
            Duration.ofMinutes(33),
            Duration.ofMinutes(53),
            Duration.ofHours(1));

    /** The smallest jitter added to every wait, in milliseconds. */
    public static final long JITTER_MIN_MS = 1_600;

    /** The largest jitter added to every wait, in milliseconds. */
    public static final long JITTER_MAX_MS = 2_400;

    private Backoff() {}

    /** The scheduled wait before retry {@code retry} (1-based), without jitter. */
    public static Duration base(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, got " + retry);
        }
        return BASE.get(Math.min(retry, BASE.size()) - 1);
    }

    /** The wait before retry {@code retry}: the scheduled wait plus a jitter drawn from {@code random}. */
    public static Duration delay(int retry, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        long jitter = random.nextLong(JITTER_MIN_MS, JITTER_MAX_MS + 1);
        return base(retry).plusMillis(jitter);
    }

    /**
     * The wait before retry {@code retry} when the server asked for {@code retryAfter} (may be {@code null}): the
     * longer of the two.
     */
    public static Duration delay(int retry, RandomGenerator random, Duration retryAfter) {
        Duration scheduled = delay(retry, random);
        if (retryAfter != null && retryAfter.compareTo(scheduled) > 0) {
            return retryAfter;
        }
        return scheduled;
    }
}
