package org.sluice.connector.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {

    @Test
    void theGlobalCapHoldsAcrossMailboxes() throws Exception {
        RequestLimiter limiter = new RequestLimiter(4, 3, 0);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String mailbox = "user" + (i % 20) + "@contoso.test";
                calls.add(pool.submit(() -> {
                    try (RequestLimiter.Permit permit = limiter.acquire(mailbox, Duration.ofSeconds(30))) {
                        assertNotNull(permit);
                        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        Thread.sleep(5);
                        inFlight.decrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(3, most.get());
    }

    @Test
    void aMailboxHasNoMoreThanItsPermitsAndABatchTakesOneForEachOfItsItems() throws Exception {
        RequestLimiter limiter = new RequestLimiter(4, 16, 0);

        RequestLimiter.Permit batch = limiter.acquire(Map.of("a@contoso.test", 3), Duration.ofSeconds(1), 3);
        RequestLimiter.Permit single = limiter.acquire("A@contoso.test", Duration.ofSeconds(1));
        RequestLimiter.Permit refused = limiter.acquire("a@contoso.test", Duration.ofMillis(50));

        assertNotNull(batch);
        assertNotNull(single);
        assertNull(refused);
        single.close();
        single.close();
        RequestLimiter.Permit again = limiter.acquire("a@contoso.test", Duration.ofMillis(50));
        assertNotNull(again);
        again.close();
        batch.close();
    }

    @Test
    void aBlockedMailboxStaysBlockedUntilItsWaitEnds() throws Exception {
        RequestLimiter limiter = new RequestLimiter(4, 16, 0);

        limiter.block("a@contoso.test", Duration.ofMillis(300));
        limiter.block("a@contoso.test", Duration.ofMillis(10));

        Duration left = limiter.blockedFor("A@CONTOSO.TEST");
        assertTrue(left.compareTo(Duration.ofMillis(200)) > 0, left.toString());
        assertEquals(Duration.ZERO, limiter.blockedFor("b@contoso.test"));
        Thread.sleep(left.toMillis() + 20);
        assertEquals(Duration.ZERO, limiter.blockedFor("a@contoso.test"));
    }

    @Test
    void thePaceCountsABatchAsItsItems() throws Exception {
        RequestLimiter limiter = new RequestLimiter(4, 16, 100);
        long started = System.nanoTime();

        limiter.acquire(Map.of("a@contoso.test", 1), Duration.ofSeconds(5), 20).close();
        limiter.acquire("b@contoso.test", Duration.ofSeconds(5)).close();

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMillis >= 190, "20 paced requests at 100/s took only " + tookMillis + " ms");
    }
}
