package org.sluice.api.security;

/**
 * A key just created. {@code secret} is the whole key as a client presents it; it is shown this once and is not
 * stored anywhere by Sluice.
 */
public record CreatedApiKey(ApiKey key, String secret) {}
