package org.sluice.core.internal.incident;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

@Entity
@Table(name = "incident_activity")
@NamedQuery(
        name = "Activity.byIncident",
        query = "SELECT a FROM ActivityEntity a WHERE a.incidentId = :incident ORDER BY a.at, a.id")
public class ActivityEntity {

    @Id
    @SequenceGenerator(name = "seq_activity", sequenceName = "seq_activity", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_activity")
    Long id;

    @Column(name = "incident_id", nullable = false)
    long incidentId;

    @Column(name = "kind", nullable = false)
    String kind;

    @Column(name = "actor", nullable = false)
    String actor;

    @Column(name = "detail")
    String detail;

    @Column(name = "at", nullable = false)
    Instant at;

    static ActivityEntity of(long incidentId, String kind, String actor, String detail, Instant at) {
        ActivityEntity entity = new ActivityEntity();
        entity.incidentId = incidentId;
        entity.kind = kind;
        entity.actor = actor;
        entity.detail = detail;
        entity.at = at;
        return entity;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ActivityEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return ActivityEntity.class.hashCode();
    }
}
