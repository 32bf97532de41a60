package org.sluice.core.internal.plugin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs calls into plugin code in isolation: on a thread of its own, under a timeout, with every exception and error
 * captured and described. Nothing a plugin does (throw, hang, return nothing) propagates to the caller.
 *
 * <p>Limit: a plugin that ignores interruption keeps its call thread after its timeout; the thread ends when the call
 * returns, and its late result is discarded. Such threads are daemons, so they never hold the JVM open.
 */
public final class IsolatedCalls implements AutoCloseable {

    private static final int MAX_DETAIL = 500;

    private final ExecutorService calls;

    public IsolatedCalls(String threadPrefix) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, threadPrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.calls = Executors.newCachedThreadPool(factory);
    }

    /**
     * The result of one call: its value, or a description of why there is none.
     *
     * @param failure {@code null} when the call returned; otherwise what went wrong, for people
     * @param cause the exception the plugin threw, or {@code null}
     */
    public record Outcome<T>(T value, String failure, Throwable cause) {
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Runs {@code work} and waits at most {@code timeout}; never throws. A {@code null} result is a failure. When the
     * calling thread is interrupted while it waits, the call is cancelled and the interrupt flag restored.
     */
    public <T> Outcome<T> call(Callable<T> work, Duration timeout) {
        Future<T> future;
        try {
            future = calls.submit(work);
        } catch (RejectedExecutionException e) {
            return new Outcome<>(null, "shutting down", null);
        }
        try {
            T value = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return value == null
                    ? new Outcome<>(null, "the plugin returned nothing", null)
                    : new Outcome<>(value, null, null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome<>(null, "timed out after " + timeout.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome<>(null, "interrupted: shutting down", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Outcome<>(null, describe(cause), cause);
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
