package org.sluice.api.security;

import java.time.Instant;

/** A console user. The password hash never leaves the core. */
public record Account(long id, String username, Role role, Instant createdAt, boolean disabled) {}
