package org.sluice.itests.harness;

import java.io.IOException;
import java.time.Duration;

/** Waiting for a server run by the harness to reach a state, as the crash tests do between kills and restarts. */
public final class Poll {

    /** A state to wait for; it may fail while the server is still coming up. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Poll() {}

    /**
     * Checks {@code condition} every 250 ms until it holds. A check that fails with an I/O error or an illegal state
     * (a shell or API not answering yet) counts as not yet; when {@code timeout} runs out the test fails, with the
     * last such failure as the cause.
     */
    public static void until(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("condition not met within " + timeout, last);
    }
}
