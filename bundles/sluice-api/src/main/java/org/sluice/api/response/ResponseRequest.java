package org.sluice.api.response;

import java.util.Map;
import java.util.Objects;

/**
 * One unit of response work as handed to a {@link ResponseType}.
 *
 * @param jobId the queue's id for this work; stable across attempts and restarts, so a response type may use it as an
 *     idempotency key with the outside world
 * @param type the response type name
 * @param incidentId the incident the work belongs to, or {@code null}
 * @param target what is acted on (a copy's id, an account, a recipient)
 * @param parameters the type's own parameters, as queued
 * @param attempt the 1-based number of this attempt
 */
public record ResponseRequest(
        long jobId, String type, Long incidentId, String target, Map<String, String> parameters, int attempt) {

    public ResponseRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
