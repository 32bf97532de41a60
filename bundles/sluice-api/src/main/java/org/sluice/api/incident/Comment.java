package org.sluice.api.incident;

import java.time.Instant;

/** A comment on an incident, with who wrote it and when. */
public record Comment(long id, long incidentId, String author, String text, Instant createdAt) {}
