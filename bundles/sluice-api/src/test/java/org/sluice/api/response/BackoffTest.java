package org.sluice.api.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** SPEC R2: retries 1 to 10, then one hour for every later retry. */
    private static final long[] EXPECTED_SECONDS = {
        2, 4, 6, 10, 240, 360, 1200, 1980, 3180, 3600, 3600, 3600, 3600, 3600, 3600
    };

    @Test
    void scheduleMatchesSpecForRetriesOneToFifteen() {
        for (int retry = 1; retry <= 15; retry++) {
            assertEquals(Duration.ofSeconds(EXPECTED_SECONDS[retry - 1]), Backoff.base(retry), "retry " + retry);
        }
    }

    @Test
    void jitterReachesBothBoundsAndNeverLeavesThem() {
        RandomGenerator lowest = fixed(Backoff.JITTER_MIN_MS);
        RandomGenerator highest = fixed(Backoff.JITTER_MAX_MS);

        for (int retry = 1; retry <= 15; retry++) {
            Duration base = Duration.ofSeconds(EXPECTED_SECONDS[retry - 1]);
            assertEquals(base.plusMillis(1_600), Backoff.delay(retry, lowest));
            assertEquals(base.plusMillis(2_400), Backoff.delay(retry, highest));
        }
    }

    @Test
    void realRandomJitterStaysWithinBounds() {
        SplittableRandom random = new SplittableRandom(42);
        long seenMin = Long.MAX_VALUE;
        long seenMax = Long.MIN_VALUE;

        for (int i = 0; i < 100_000; i++) {
            long jitter = Backoff.delay(1, random).minusSeconds(2).toMillis();
            seenMin = Math.min(seenMin, jitter);
            seenMax = Math.max(seenMax, jitter);
        }

        assertEquals(1_600, seenMin);
        assertEquals(2_400, seenMax);
    }

    @Test
    void longerRetryAfterWinsAndShorterOneIsIgnored() {
        RandomGenerator random = fixed(2_000);

        assertEquals(Duration.ofSeconds(30), Backoff.delay(1, random, Duration.ofSeconds(30)));
        assertEquals(Duration.ofMillis(4_000), Backoff.delay(1, random, Duration.ofSeconds(1)));
        assertEquals(Duration.ofMillis(4_000), Backoff.delay(1, random, null));
    }

    @Test
    void retryZeroIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.base(0));
    }

    /** A random source whose bounded draws always return {@code value}, as long as it lies in the bounds. */
    private static RandomGenerator fixed(long value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long origin, long bound) {
                if (value < origin || value >= bound) {
                    throw new AssertionError(value + " outside [" + origin + ", " + bound + ")");
                }
                return value;
            }
        };
    }
}
