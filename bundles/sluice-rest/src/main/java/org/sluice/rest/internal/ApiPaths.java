package org.sluice.rest.internal;

/**
 * Where each API lives under the one JAX-RS application that serves them all. They share one application because the
 * whiteboard's applications at different bases share CXF's destination registry here, and a request to one base was
 * answered by another application's resources; one application at {@code /} routes every path exactly.
 */
public final class ApiPaths {

    /** Sluice's own API. */
    public static final String OWN = "sluice/api/v1";

    /** The compatible API of the reference product. */
    public static final String COMPAT = "api";

    private ApiPaths() {}

    /** Whether a request path (relative to {@code /}, without a leading slash) belongs to the compatible API. */
    public static boolean isCompat(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.equals(COMPAT) || p.startsWith(COMPAT + "/") || p.startsWith("threat/");
    }
}
