package org.sluice.core.internal.db;

import javax.persistence.AttributeConverter;
import javax.persistence.Converter;
import org.sluice.api.incident.Severity;

/** Stores a severity as its rank (0 informational .. 4 critical), so that SQL can compare and raise severities. */
@Converter(autoApply = true)
public class SeverityConverter implements AttributeConverter<Severity, Integer> {

    @Override
    public Integer convertToDatabaseColumn(Severity severity) {
        return severity == null ? null : severity.ordinal();
    }

    @Override
    public Severity convertToEntityAttribute(Integer rank) {
        return rank == null ? null : Severity.values()[rank];
    }
}
