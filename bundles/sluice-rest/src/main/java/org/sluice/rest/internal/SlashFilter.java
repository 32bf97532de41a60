package org.sluice.rest.internal;

import java.net.URI;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.UriBuilder;

/**
 * Collapses repeated slashes in request paths before resources are matched: some integrations join a configured base
 * URL that ends in {@code /} with a path that starts with one, and ask for {@code //api/incidents}.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public class SlashFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path != null && path.contains("//")) {
            request.setRequestUri(UriBuilder.fromUri(uri)
                    .replacePath(path.replaceAll("/{2,}", "/"))
                    .build());
        }
    }
}
