package org.sluice.api.security;

import java.util.Locale;

/**
 * What a console user or an API key may do. Roles are ordered: each one includes everything the roles before it may
 * do.
 */
public enum Role {
    /** Reads incidents, alerts and the audit log; changes nothing. */
    READ_ONLY,
    /** Works incidents: comments, closes, starts responses. */
    ANALYST,
    /** Everything, including accounts, API keys, settings and plugins. */
    ADMIN;

    /** Whether a holder of this role may do what {@code required} allows. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    /** The wire name: {@code read-only}, {@code analyst}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a wire name or constant name, case-insensitively. */
    public static Role parse(String text) {
        if (text != null) {
            String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Role role : values()) {
                if (role.name().equals(normalized)) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (expected admin, analyst or read-only)");
    }
}
