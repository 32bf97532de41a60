package org.sluice.core.internal.incident;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.NamedQuery;
import javax.persistence.Table;

@Entity
@Table(name = "incident_field_value")
@IdClass(IncidentFieldEntity.Key.class)
@NamedQuery(name = "Field.byIncident", query = "SELECT f FROM IncidentFieldEntity f WHERE f.incidentId = :incident")
public class IncidentFieldEntity {

    @Id
    @Column(name = "incident_id")
    long incidentId;

    @Id
    @Column(name = "name")
    String name;

    @Column(name = "field_value")
    String value;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        long incidentId;
        String name;

        public Key() {}

        Key(long incidentId, String name) {
            this.incidentId = incidentId;
            this.name = name;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && incidentId == that.incidentId && Objects.equals(name, that.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(incidentId, name);
        }
    }
}
