package org.sluice.rest.internal.security;

import java.util.Locale;
import java.util.Set;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import org.sluice.rest.internal.ApiPaths;
import org.sluice.rest.internal.ErrorMapper;

/**
 * Refuses a body sent without {@code Content-Type} to Sluice's own API with 415 and a message saying what to send,
 * before the JAX-RS runtime reads it as {@code application/octet-stream} (which it would log as a server error). The
 * report upload, which takes any type, is left alone; the compatible API reads any body as JSON, as its clients
 * expect.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public class ContentTypeFilter implements ContainerRequestFilter {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!WITH_BODY.contains(request.getMethod()) || BodyLimitFilter.limitFor(path) != BodyLimitFilter.MAX_BYTES) {
            return;
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        boolean bodyAnnounced = request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
        if (ApiPaths.isCompat(path)) {
            // The compatible API's clients send JSON under whatever type they send (the reference reads it as JSON):
            // read it as JSON; a body that is not JSON is then refused as such.
            if (bodyAnnounced && (type == null || !type.toLowerCase(Locale.ROOT).contains("json"))) {
                request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
            }
            return;
        }
        if ((type == null || type.isBlank()) && bodyAnnounced) {
            request.abortWith(ErrorMapper.respond(
                    path,
                    415,
                    "unsupported_media_type",
                    "the request has a body but no Content-Type; send it as JSON with Content-Type: application/json"));
        }
    }
}
