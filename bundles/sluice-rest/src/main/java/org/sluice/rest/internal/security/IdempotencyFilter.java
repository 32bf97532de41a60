package org.sluice.rest.internal.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.sluice.api.idempotency.IdempotencyStore;
import org.sluice.api.idempotency.IdempotencyStore.Claim;
import org.sluice.rest.internal.ErrorMapper;

/**
 * Honours the {@code Idempotency-Key} header on every POST: the first request with a key is done and its response
 * kept; a retry with the same key and the same request gets that response again (marked {@code
 * Idempotent-Replayed: true}) without doing the work twice; the same key with a different request is refused. Runs
 * after authentication, and keys are scoped by caller.
 */
@Priority(Priorities.USER)
public class IdempotencyFilter implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 255;
    private static final String SCOPE = "sluice.idempotency.scope";
    private static final String KEY = "sluice.idempotency.key";

    private static final String WITHHELD_CODE = "idempotency_secret_withheld";
    private static final String WITHHELD_MESSAGE =
            "this request was done; its answer held a secret that is shown only once, so it is not repeated";

    private final IdempotencyStore store;
    private final ObjectMapper mapper;

    public IdempotencyFilter(IdempotencyStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String key = request.getHeaderString(HEADER);
        if (!"POST".equals(request.getMethod()) || key == null) {
            return;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            request.abortWith(ErrorMapper.respond(
                    400,
                    "invalid_input",
                    HEADER + ": must be 1 to " + MAX_KEY_LENGTH + " characters",
                    UUID.randomUUID().toString()));
            return;
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        String scope = scope(request);
        Claim claim = store.claim(
                scope,
                key,
                hash(
                        request.getUriInfo().getRequestUri().getRawPath(),
                        request.getUriInfo().getRequestUri().getRawQuery(),
                        body));
        switch (claim.state()) {
            case NEW -> {
                request.setProperty(SCOPE, scope);
                request.setProperty(KEY, key);
            }
            case REPLAY -> {
                if (claim.status() == 409 && WITHHELD_CODE.equals(claim.body())) {
                    // Each refusal gets its own correlation id, like every other error of the API.
                    request.abortWith(Response.fromResponse(ErrorMapper.respond(
                                    409,
                                    WITHHELD_CODE,
                                    WITHHELD_MESSAGE,
                                    UUID.randomUUID().toString()))
                            .header("Idempotent-Replayed", "true")
                            .build());
                } else {
                    request.abortWith(Response.status(claim.status())
                            .type(MediaType.APPLICATION_JSON_TYPE)
                            .header("Idempotent-Replayed", "true")
                            .entity(claim.body())
                            .build());
                }
            }
            case IN_PROGRESS ->
                request.abortWith(ErrorMapper.respond(
                        409,
                        "idempotency_in_progress",
                        "a request with this " + HEADER + " is still being processed; retry later",
                        UUID.randomUUID().toString()));
            case MISMATCH ->
                request.abortWith(ErrorMapper.respond(
                        422,
                        "idempotency_key_reused",
                        HEADER + " was used before for a different request",
                        UUID.randomUUID().toString()));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(SCOPE) instanceof String scope)
                || !(request.getProperty(KEY) instanceof String key)) {
            return;
        }
        if (response.getStatus() >= 500) {
            store.release(scope, key);
            return;
        }
        if (String.valueOf(response.getHeaderString("Cache-Control")).contains("no-store")) {
            // The answer carried a secret that is shown once (a new API key): it is not kept, and a retry is told so.
            store.complete(scope, key, 409, WITHHELD_CODE);
            return;
        }
        try {
            Object entity = response.getEntity();
            String body = entity == null ? null : entity instanceof String s ? s : mapper.writeValueAsString(entity);
            store.complete(scope, key, response.getStatus(), body);
        } catch (JsonProcessingException e) {
            store.release(scope, key);
        }
    }

    private static String scope(ContainerRequestContext request) {
        if (request.getSecurityContext().getUserPrincipal() instanceof Caller caller) {
            return caller.actor().kind() + ":" + caller.actor().name();
        }
        return "anonymous";
    }

    private static String hash(String path, String query, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(path.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '?');
            digest.update(String.valueOf(query).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
