package org.sluice.core.internal.queue;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseRequest;
import org.sluice.api.response.ResponseType;

/**
 * Calls response types in isolation: on a thread of its own, with a timeout, and with every exception and error turned
 * into a {@link ResponseOutcome.Status#RETRYABLE} outcome whose detail names the failure. Nothing a plugin does
 * propagates to the caller.
 *
 * <p>Limit: a plugin that ignores interruption keeps its call thread after its timeout; the thread ends when the call
 * returns, and its late result is discarded. Such threads are daemons, so they never hold the JVM open.
 */
final class SafeCaller implements AutoCloseable {

    private static final int MAX_DETAIL = 500;

    private final Logger logger = LoggerFactory.getLogger(SafeCaller.class);

    private final ExecutorService calls;

    SafeCaller(String threadPrefix) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, threadPrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.calls = Executors.newCachedThreadPool(factory);
    }

    /**
     * Runs one attempt and returns its outcome; never throws. When the calling thread is interrupted while it waits,
     * the call is cancelled, the interrupt flag is restored and a retryable outcome is returned.
     */
    ResponseOutcome call(ResponseType type, ResponseRequest request, Duration timeout) {
        Future<ResponseOutcome> future;
        try {
            future = calls.submit(() -> type.execute(request));
        } catch (RejectedExecutionException e) {
            return ResponseOutcome.retryable(null, "the response worker is shutting down", null);
        }
        try {
            ResponseOutcome outcome = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (outcome == null) {
                return ResponseOutcome.retryable(null, "the response type returned no outcome", null);
            }
            return outcome;
        } catch (TimeoutException e) {
            future.cancel(true);
            return ResponseOutcome.retryable(null, "timed out after " + timeout.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return ResponseOutcome.retryable(null, "interrupted: the response worker is shutting down", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            logger.debug("Response type '{}' threw on job '{}'", request.type(), request.jobId(), cause);
            return ResponseOutcome.retryable(null, describe(cause), null);
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = "failed with " + failure.getClass().getName() + (message == null ? "" : ": " + message);
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL);
    }

    /** Interrupts calls still running and stops accepting new ones; does not wait for them. */
    @Override
    public void close() {
        calls.shutdownNow();
    }
}
