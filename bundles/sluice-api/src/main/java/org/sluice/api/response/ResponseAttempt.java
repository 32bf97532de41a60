package org.sluice.api.response;

import java.time.Instant;

/** One recorded attempt of a response: who ran it, when, and what came of it. */
public record ResponseAttempt(
        long jobId,
        int number,
        String node,
        Instant startedAt,
        Instant endedAt,
        ResponseOutcome.Status status,
        String providerStatus,
        String detail,
        Instant nextAttemptAt) {}
