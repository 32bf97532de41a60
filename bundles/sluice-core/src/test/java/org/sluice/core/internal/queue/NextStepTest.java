package org.sluice.core.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseOutcome;

class NextStepTest {

    private static final Instant ENDED = Instant.parse("2026-12-04T10:15:30.123Z");

    /** A random source whose every draw in a range returns the range's lowest value. */
    private static final RandomGenerator LOWEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long origin, long bound) {
            return origin;
        }
    };

    @Test
    void doneAndAlreadyDoneSucceedWithoutNextTime() {
        NextStep done = NextStep.after(ResponseOutcome.done("moved"), 1, 10, ENDED, LOWEST);
        NextStep already = NextStep.after(ResponseOutcome.alreadyDone("was moved"), 3, 10, ENDED, LOWEST);

        assertEquals(new NextStep(JobState.SUCCEEDED, null), done);
        assertEquals(new NextStep(JobState.SUCCEEDED, null), already);
    }

    @Test
    void notFoundEndsAsNotFoundAndPermanentFailureFails() {
        assertEquals(
                new NextStep(JobState.NOT_FOUND, null),
                NextStep.after(ResponseOutcome.notFound("no copy"), 1, 10, ENDED, LOWEST));
        assertEquals(
                new NextStep(JobState.FAILED, null),
                NextStep.after(ResponseOutcome.permanentFailure("403", "forbidden"), 1, 10, ENDED, LOWEST));
    }

    @Test
    void retryableWaitsTheScheduleOfItsAttemptNumberPlusJitter() {
        long[] baseSeconds = {2, 4, 6, 10, 240, 360, 1200, 1980, 3180, 3600, 3600};

        for (int attempt = 1; attempt <= baseSeconds.length; attempt++) {
            NextStep next = NextStep.after(ResponseOutcome.retryable("503", "busy", null), attempt, 100, ENDED, LOWEST);

            assertEquals(JobState.QUEUED, next.state(), "attempt " + attempt);
            assertEquals(
                    ENDED.plusSeconds(baseSeconds[attempt - 1]).plusMillis(1_600),
                    next.nextAttemptAt(),
                    "attempt " + attempt);
        }
    }

    @Test
    void retryableJitterStaysWithinSpecBounds() {
        SplittableRandom random = new SplittableRandom(7);

        for (int i = 0; i < 10_000; i++) {
            NextStep next = NextStep.after(ResponseOutcome.retryable(null, "busy", null), 2, 10, ENDED, random);

            long waited = Duration.between(ENDED, next.nextAttemptAt()).toMillis();
            assertTrue(waited >= 5_600 && waited <= 6_400, "waited " + waited);
        }
    }

    @Test
    void longerRetryAfterWinsAndShorterOneIsIgnored() {
        NextStep longer = NextStep.after(
                ResponseOutcome.retryable("429", "throttled", Duration.ofSeconds(30)), 1, 10, ENDED, LOWEST);
        NextStep shorter = NextStep.after(
                ResponseOutcome.retryable("429", "throttled", Duration.ofSeconds(1)), 1, 10, ENDED, LOWEST);

        assertEquals(ENDED.plusSeconds(30), longer.nextAttemptAt());
        assertEquals(ENDED.plusMillis(3_600), shorter.nextAttemptAt());
    }

    @Test
    void retryableOnTheLastAllowedAttemptFails() {
        NextStep last = NextStep.after(ResponseOutcome.retryable(null, "busy", null), 5, 5, ENDED, LOWEST);
        NextStep beyond = NextStep.after(ResponseOutcome.retryable(null, "busy", null), 6, 5, ENDED, LOWEST);

        assertEquals(JobState.FAILED, last.state());
        assertNull(last.nextAttemptAt());
        assertEquals(JobState.FAILED, beyond.state());
    }
}
