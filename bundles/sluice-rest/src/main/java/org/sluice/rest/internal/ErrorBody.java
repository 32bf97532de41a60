package org.sluice.rest.internal;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The one error body of Sluice's API.
 *
 * @param code a stable, machine-readable code
 * @param message what is wrong, for people
 * @param correlationId quoted in the server log next to the details, so that an admin can find them
 */
public record ErrorBody(
        String code,
        String message,
        @JsonProperty("correlation_id") String correlationId) {}
