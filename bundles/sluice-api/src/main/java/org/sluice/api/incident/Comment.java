package org.sluice.api.incident;

import java.time.Instant;

/**
 * A comment on an incident, with who wrote it and when.
 *
 * @param text the comment itself (the compatible API's {@code summary})
 * @param detail longer detail, or {@code null}
 */
public record Comment(long id, long incidentId, String author, String text, String detail, Instant createdAt) {}
