package org.sluice.connector.graph;

import org.sluice.api.response.ResponseOutcome;

/** A failed call inside the connector, already translated into the outcome the queue acts on. */
final class GraphCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ResponseOutcome outcome;
    private final int httpStatus;

    GraphCallException(ResponseOutcome outcome, int httpStatus) {
        super(outcome.detail());
        this.outcome = outcome;
        this.httpStatus = httpStatus;
    }

    ResponseOutcome outcome() {
        return outcome;
    }

    /** The HTTP status of the failed answer, or 0 when there was none. */
    int httpStatus() {
        return httpStatus;
    }
}
