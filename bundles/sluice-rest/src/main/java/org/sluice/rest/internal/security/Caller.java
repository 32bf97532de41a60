package org.sluice.rest.internal.security;

import java.security.Principal;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.security.Actor;
import org.sluice.api.security.Role;

/**
 * The authenticated caller of a request: a console user or an API key, with its role and the address it came from.
 */
public record Caller(Actor actor, Role role) implements Principal {

    @Override
    public String getName() {
        return actor.name();
    }

    /** The caller of the current request, as the authentication filter established it. */
    public static Actor actorOf(SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof Caller caller) {
            return caller.actor();
        }
        throw new IllegalStateException("no authenticated caller on this request");
    }

    /** The security context the filter installs. */
    static SecurityContext context(Caller caller, boolean secure) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return caller.role().includes(Role.parse(role));
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return caller.actor().kind() == Actor.Kind.API_KEY ? "API-Key" : BASIC_AUTH;
            }
        };
    }
}
