package org.sluice.mail;

/**
 * Bounds on the work one parse may do, to protect the server from hostile input. Crossing a bound is never an error:
 * the parser stops at it, records a {@link Finding} and returns what it has.
 *
 * @param maxBytes the input size read; bytes beyond it are ignored
 * @param maxDepth how deep nested messages (rfc822, .eml, .msg, TNEF inside each other) are parsed; the outer message
 *     is depth 0
 * @param maxParts MIME parts analysed per message, all nesting levels counted together
 * @param maxHeaderLength characters kept of one header value
 * @param maxHeaders header fields kept per message
 * @param maxUrls URLs kept per message (nested messages counted separately)
 */
public record ParseLimits(long maxBytes, int maxDepth, int maxParts, int maxHeaderLength, int maxHeaders, int maxUrls) {

    /** 50 MiB, depth 8, 1000 parts, 64 KiB per header, 2000 headers, 5000 URLs. */
    public static final ParseLimits DEFAULTS = new ParseLimits(50L * 1024 * 1024, 8, 1000, 64 * 1024, 2000, 5000);

    public ParseLimits {
        if (maxBytes < 1 || maxDepth < 0 || maxParts < 1 || maxHeaderLength < 1 || maxHeaders < 1 || maxUrls < 0) {
            throw new IllegalArgumentException("parse limits must be positive (depth and URLs may be 0): " + maxBytes
                    + ", " + maxDepth + ", " + maxParts + ", " + maxHeaderLength + ", " + maxHeaders + ", " + maxUrls);
        }
    }
}
