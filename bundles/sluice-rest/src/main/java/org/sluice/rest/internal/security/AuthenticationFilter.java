package org.sluice.rest.internal.security;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.security.AccountService;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.Role;

/**
 * Authenticates every request and checks the role its operation needs ({@link Allow}, {@link Public}).
 *
 * <p>Accepted credentials, in the {@code Authorization} header: {@code Bearer <api key>}; the bare API key (as some
 * integrations send it); or HTTP Basic, where the password is either an API key (the user name is then ignored) or a
 * console account's password.
 */
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFilter implements ContainerRequestFilter {

    /** Builds the error response of a refused request, in the shape of the API its path belongs to. */
    @FunctionalInterface
    public interface Refusal {
        Response respond(String path, int status, String code, String message);
    }

    private final Logger logger = LoggerFactory.getLogger(AuthenticationFilter.class);

    private final ApiKeyService apiKeys;
    private final AccountService accounts;
    private final Refusal refusal;

    @Context
    private ResourceInfo resourceInfo;

    @Context
    private HttpServletRequest servletRequest;

    public AuthenticationFilter(ApiKeyService apiKeys, AccountService accounts, Refusal refusal) {
        this.apiKeys = apiKeys;
        this.accounts = accounts;
        this.refusal = refusal;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo.getResourceMethod();
        Class<?> type = resourceInfo.getResourceClass();
        if (method == null || isPublic(method, type)) {
            return;
        }
        Optional<Caller> caller = authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION), origin());
        if (caller.isEmpty()) {
            String presented = request.getHeaderString(HttpHeaders.AUTHORIZATION);
            if (presented != null && !presented.isBlank()) {
                logger.warn(
                        "Authentication failed from '{}' ({} credentials)",
                        origin(),
                        presented.regionMatches(true, 0, "Basic ", 0, 6) ? "HTTP Basic" : "API key");
            }
            request.abortWith(unauthorized(
                    request.getUriInfo().getPath(),
                    presented == null || presented.isBlank()
                            ? "this operation needs an API key or a user name and password"
                            : "the credentials were not accepted (unknown, revoked or expired API key, or wrong user"
                                    + " name or password, or a disabled account)"));
            return;
        }
        Role needed = required(method, type);
        if (!caller.get().role().includes(needed)) {
            request.abortWith(refusal.respond(
                    request.getUriInfo().getPath(),
                    403,
                    "forbidden",
                    "this operation needs the role " + needed.wireName() + "; the caller has "
                            + caller.get().role().wireName()));
            return;
        }
        request.setSecurityContext(
                Caller.context(caller.get(), request.getSecurityContext().isSecure()));
    }

    private Response unauthorized(String path, String message) {
        return Response.fromResponse(refusal.respond(path, 401, "unauthenticated", message))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"")
                .build();
    }

    private String origin() {
        try {
            return servletRequest == null ? "" : servletRequest.getRemoteAddr();
        } catch (RuntimeException e) {
            return "";
        }
    }

    Optional<Caller> authenticate(String authorization, String origin) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? "" : value.substring(0, space);
        String credentials = space < 0 ? value : value.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            return basic(credentials, origin);
        }
        if (scheme.isEmpty() || scheme.equalsIgnoreCase("Bearer")) {
            return apiKeys.authenticate(credentials)
                    .map(key -> new Caller(Actor.apiKey(key.name(), origin), key.role()));
        }
        return Optional.empty();
    }

    private Optional<Caller> basic(String encoded, String origin) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (password.startsWith("slk_")) {
            return apiKeys.authenticate(password).map(key -> new Caller(Actor.apiKey(key.name(), origin), key.role()));
        }
        return accounts.authenticate(user, password.toCharArray())
                .map(account -> new Caller(Actor.user(account.username(), origin), account.role()));
    }

    static boolean isPublic(Method method, Class<?> type) {
        return method.isAnnotationPresent(Public.class)
                || (type.isAnnotationPresent(Public.class) && !method.isAnnotationPresent(Allow.class));
    }

    static Role required(Method method, Class<?> type) {
        Allow allow = method.getAnnotation(Allow.class);
        if (allow == null) {
            allow = type.getAnnotation(Allow.class);
        }
        return allow == null ? Role.ADMIN : allow.value();
    }
}
