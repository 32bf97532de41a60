package org.sluice.core.internal.db;

import java.time.Instant;
import javax.persistence.AttributeConverter;
import javax.persistence.Converter;

/**
 * Stores instants as milliseconds since the epoch (UTC) in BIGINT columns. JPA 2.2 has no mapping for {@link
 * Instant}, and going through {@code java.sql.Timestamp} would apply the JVM's time zone; a plain number cannot be
 * shifted by any zone, on any node, on any database.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, Long> {

    @Override
    public Long convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    @Override
    public Instant convertToEntityAttribute(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
