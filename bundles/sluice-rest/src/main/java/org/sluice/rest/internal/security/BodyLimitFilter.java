package org.sluice.rest.internal.security;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import org.sluice.rest.internal.ErrorMapper;

/**
 * Refuses request bodies over {@link #MAX_BYTES} with 413: at once when {@code Content-Length} says so, and while
 * reading when the body comes chunked, so that no request can make the server buffer an unbounded body.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public class BodyLimitFilter implements ContainerRequestFilter {

    /** The largest request body the APIs accept: 1 MiB. */
    public static final long MAX_BYTES = 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_BYTES) {
            request.abortWith(tooLarge(request.getUriInfo().getPath()));
            return;
        }
        String path = request.getUriInfo().getPath();
        request.setEntityStream(new Limited(request.getEntityStream(), path));
    }

    private static javax.ws.rs.core.Response tooLarge(String path) {
        return ErrorMapper.respond(
                path, 413, "body_too_large", "the request body is larger than " + MAX_BYTES + " bytes");
    }

    /** Counts what is read and fails past the limit. */
    private static final class Limited extends FilterInputStream {
        private final String path;
        private long count;

        Limited(InputStream in, String path) {
            super(in);
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > MAX_BYTES) {
                throw new WebApplicationException(tooLarge(path));
            }
        }
    }
}
