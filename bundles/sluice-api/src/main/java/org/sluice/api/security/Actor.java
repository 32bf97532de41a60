package org.sluice.api.security;

import java.util.Objects;

/**
 * Who did something, as recorded in activity and the audit log.
 *
 * @param kind what sort of party acted
 * @param name the user name, the API key's name, or the component's name
 * @param origin where the request came from: a client address, {@code shell}, or {@code system}
 */
public record Actor(Kind kind, String name, String origin) {
    /** The kinds of parties that act. */
    public enum Kind {
        USER,
        API_KEY,
        SYSTEM
    }

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        origin = origin == null ? "" : origin;
    }

    /** The server itself, acting on its own (a scheduler, a plugin). */
    public static Actor system(String component) {
        return new Actor(Kind.SYSTEM, component, "system");
    }

    public static Actor user(String name, String origin) {
        return new Actor(Kind.USER, name, origin);
    }

    public static Actor apiKey(String keyName, String origin) {
        return new Actor(Kind.API_KEY, keyName, origin);
    }
}
