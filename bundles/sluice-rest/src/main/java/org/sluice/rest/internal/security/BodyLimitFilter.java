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
 * Refuses request bodies over {@link #MAX_BYTES} ({@link #MAX_REPORT_BYTES} for CLEAR report uploads) with 413: at
 * once when {@code Content-Length} says so, and while
 * reading when the body comes chunked, so that no request can make the server buffer an unbounded body.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public class BodyLimitFilter implements ContainerRequestFilter {

    /** The largest request body the APIs accept: 1 MiB. */
    public static final long MAX_BYTES = 1024 * 1024;

    /** The largest report accepted at {@link #REPORT_PATH}: 25 MiB, as large as mail systems commonly let mail be. */
    public static final long MAX_REPORT_BYTES = 25L * 1024 * 1024;

    /** The report upload path, relative to the application (no leading slash). */
    static final String REPORT_PATH = "sluice/api/v1/clear/reports";

    /** The body limit of a request path. */
    static long limitFor(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(REPORT_PATH) ? MAX_REPORT_BYTES : MAX_BYTES;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        long limit = limitFor(path);
        if (request.getLength() > limit) {
            request.abortWith(tooLarge(path, limit));
            return;
        }
        request.setEntityStream(new Limited(request.getEntityStream(), path, limit));
    }

    private static javax.ws.rs.core.Response tooLarge(String path, long limit) {
        return ErrorMapper.respond(path, 413, "body_too_large", "the request body is larger than " + limit + " bytes");
    }

    /** Counts what is read and fails past the limit. */
    private static final class Limited extends FilterInputStream {
        private final String path;
        private final long limit;
        private long count;

        Limited(InputStream in, String path, long limit) {
            super(in);
            this.path = path;
            this.limit = limit;
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
            if (count > limit) {
                throw new WebApplicationException(tooLarge(path, limit));
            }
        }
    }
}
