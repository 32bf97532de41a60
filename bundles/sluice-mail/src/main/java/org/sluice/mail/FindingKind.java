package org.sluice.mail;

/** What a {@link Finding} is about: a limit the parser stopped at, or a defect it worked around. */
public enum FindingKind {
    /** The input was larger than {@link ParseLimits#maxBytes()}; only its beginning was analysed. */
    SIZE_LIMIT,
    /** A message nested deeper than {@link ParseLimits#maxDepth()} was kept as an attachment but not parsed. */
    DEPTH_LIMIT,
    /** More MIME parts than {@link ParseLimits#maxParts()}; the rest were not analysed. */
    PART_LIMIT,
    /** A header value longer than {@link ParseLimits#maxHeaderLength()} was cut to that length. */
    HEADER_LENGTH_LIMIT,
    /** More header fields than {@link ParseLimits#maxHeaders()}; the rest were dropped. */
    HEADER_COUNT_LIMIT,
    /** More URLs than {@link ParseLimits#maxUrls()}; the rest were dropped. */
    URL_LIMIT,
    /** A header line that is not a valid field (no colon, bad name) or a value that could not be parsed. */
    MALFORMED_HEADER,
    /** Raw 8-bit bytes in a header that are not UTF-8; decoded with a fallback charset. */
    RAW_8BIT_HEADER,
    /** A charset the platform does not know; the text was decoded with a fallback charset. */
    UNKNOWN_CHARSET,
    /** A date that could not be parsed (Date header or Received hop). */
    BAD_DATE,
    /** A MIME structure problem (missing boundary, truncated part, bad encoding) the parser worked around. */
    MALFORMED_MIME,
    /** A nested message or container (rfc822, .msg, TNEF) that could not be parsed; kept as a plain attachment. */
    NESTED_PARSE_FAILED,
    /** The input could not be parsed at all, or parsing stopped early; what was read so far is kept. */
    PARSE_ERROR
}
