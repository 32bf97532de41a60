package org.sluice.core.internal.queue;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseRequest;
import org.sluice.api.response.ResponseType;
import org.sluice.core.internal.plugin.IsolatedCalls;

/**
 * Calls response types through {@link IsolatedCalls} and turns every failure (exception, error, timeout, no outcome)
 * into a {@link ResponseOutcome.Status#RETRYABLE} outcome whose detail names it. Nothing a plugin does propagates to
 * the worker.
 */
final class SafeCaller implements AutoCloseable {

    private final Logger logger = LoggerFactory.getLogger(SafeCaller.class);

    private final IsolatedCalls calls;

    SafeCaller(String threadPrefix) {
        this.calls = new IsolatedCalls(threadPrefix);
    }

    /** Runs one attempt and returns its outcome; never throws. */
    ResponseOutcome call(ResponseType type, ResponseRequest request, Duration timeout) {
        IsolatedCalls.Outcome<ResponseOutcome> outcome = calls.call(() -> type.execute(request), timeout);
        if (outcome.ok()) {
            return outcome.value();
        }
        if (outcome.cause() != null) {
            logger.debug("Response type '{}' threw on job '{}'", request.type(), request.jobId(), outcome.cause());
        }
        String detail = outcome.failure().equals("the plugin returned nothing")
                ? "the response type returned no outcome"
                : outcome.failure();
        return ResponseOutcome.retryable(null, detail, null);
    }

    /** Interrupts calls still running and stops accepting new ones; does not wait for them. */
    @Override
    public void close() {
        calls.close();
    }
}
