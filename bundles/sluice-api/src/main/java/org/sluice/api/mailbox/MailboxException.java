package org.sluice.api.mailbox;

import java.util.Objects;
import org.sluice.api.response.ResponseOutcome;

/**
 * A connector call that could not be carried out, with the structured outcome the queue acts on: {@link
 * ResponseOutcome.Status#RETRYABLE} with the provider's wait (throttling, 503, a dropped connection) or {@link
 * ResponseOutcome.Status#PERMANENT_FAILURE} (no such mailbox, access denied). Thrown by the methods that return no
 * outcome of their own ({@link MailboxConnector#findCopies} and {@link MailboxConnector#openRaw}); any other exception
 * from a connector counts as retryable without a wait.
 */
public class MailboxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ResponseOutcome outcome;

    public MailboxException(ResponseOutcome outcome) {
        super(Objects.requireNonNull(outcome, "outcome").detail());
        if (outcome.succeeded()) {
            throw new IllegalArgumentException("a MailboxException carries a failure, not " + outcome.status());
        }
        this.outcome = outcome;
    }

    public MailboxException(ResponseOutcome outcome, Throwable cause) {
        this(outcome);
        initCause(cause);
    }

    /** What the queue should do about the failed call. */
    public ResponseOutcome outcome() {
        return outcome;
    }
}
