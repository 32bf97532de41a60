package org.sluice.rest.internal.security;

import java.util.Set;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import org.sluice.rest.internal.ApiPaths;
import org.sluice.rest.internal.ErrorMapper;

/**
 * Refuses a body sent without {@code Content-Type} to Sluice's own API with 415 and a message saying what to send,
 * before the JAX-RS runtime reads it as {@code application/octet-stream} (which it would log as a server error). The
 * report upload, which takes any type, and the compatible API, whose clients are lenient, are left alone.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public class ContentTypeFilter implements ContainerRequestFilter {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!WITH_BODY.contains(request.getMethod())
                || ApiPaths.isCompat(path)
                || BodyLimitFilter.limitFor(path) != BodyLimitFilter.MAX_BYTES) {
            return;
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        boolean bodyAnnounced = request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
        if ((type == null || type.isBlank()) && bodyAnnounced) {
            request.abortWith(ErrorMapper.respond(
                    path,
                    415,
                    "unsupported_media_type",
                    "the request has a body but no Content-Type; send it as JSON with Content-Type: application/json"));
        }
    }
}
