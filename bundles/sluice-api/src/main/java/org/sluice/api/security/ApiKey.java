package org.sluice.api.security;

import java.time.Instant;

/**
 * An API key as listed: never the secret, only the public prefix that tells keys apart.
 *
 * @param name who or what uses the key; it is the actor recorded for the key's actions
 */
public record ApiKey(
        long id,
        String name,
        String prefix,
        Role role,
        String createdBy,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
