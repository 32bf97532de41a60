package org.sluice.core.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseOutcome.Status;
import org.sluice.api.response.ResponseRequest;
import org.sluice.api.response.ResponseType;

class SafeCallerTest {

    private static final ResponseRequest REQUEST = new ResponseRequest(51, "fake", null, "target", Map.of(), 1);

    private final SafeCaller caller = new SafeCaller("test-call-");

    @AfterEach
    void close() {
        caller.close();
    }

    @Test
    void returnsThePluginsOutcome() {
        ResponseOutcome done = ResponseOutcome.done("moved");

        assertSame(done, caller.call(type(request -> done), REQUEST, Duration.ofSeconds(5)));
    }

    @Test
    void exceptionBecomesRetryableNamingTheFailure() {
        ResponseOutcome outcome = caller.call(
                type(request -> {
                    throw new IllegalStateException("mailbox locked");
                }),
                REQUEST,
                Duration.ofSeconds(5));

        assertEquals(Status.RETRYABLE, outcome.status());
        assertEquals("failed with java.lang.IllegalStateException: mailbox locked", outcome.detail());
    }

    @Test
    void errorBecomesRetryable() {
        ResponseOutcome outcome = caller.call(
                type(request -> {
                    throw new NoClassDefFoundError("com/example/Gone");
                }),
                REQUEST,
                Duration.ofSeconds(5));

        assertEquals(Status.RETRYABLE, outcome.status());
        assertTrue(outcome.detail().contains("NoClassDefFoundError"), outcome.detail());
    }

    @Test
    void nullOutcomeBecomesRetryable() {
        ResponseOutcome outcome = caller.call(type(request -> null), REQUEST, Duration.ofSeconds(5));

        assertEquals(Status.RETRYABLE, outcome.status());
    }

    @Test
    void hangingCallTimesOutAndIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);

        ResponseOutcome outcome = caller.call(
                type(request -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                    return ResponseOutcome.done("too late");
                }),
                REQUEST,
                Duration.ofMillis(200));

        assertEquals(Status.RETRYABLE, outcome.status());
        assertEquals("timed out after 200 ms", outcome.detail());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the hanging call was interrupted");
    }

    private interface Body {
        ResponseOutcome run(ResponseRequest request) throws Exception;
    }

    private static ResponseType type(Body body) {
        return new ResponseType() {
            @Override
            public String type() {
                return "fake";
            }

            @Override
            public ResponseOutcome execute(ResponseRequest request) throws Exception {
                return body.run(request);
            }
        };
    }
}
