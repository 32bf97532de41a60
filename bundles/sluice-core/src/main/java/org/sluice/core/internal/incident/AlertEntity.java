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
import org.sluice.api.incident.Severity;

@Entity
@Table(name = "alert")
@NamedQuery(
        name = "Alert.byIncident",
        query = "SELECT a FROM AlertEntity a WHERE a.incidentId = :incident ORDER BY a.receivedAt, a.id")
@NamedQuery(
        name = "Alert.byExternalId",
        query = "SELECT a FROM AlertEntity a WHERE a.sourceType = :source AND a.externalId = :external")
@NamedQuery(
        name = "Alert.countByIncidents",
        query = "SELECT a.incidentId, COUNT(a) FROM AlertEntity a WHERE a.incidentId IN :ids GROUP BY a.incidentId")
@NamedQuery(
        name = "Alert.bySource",
        query = "SELECT a FROM AlertEntity a WHERE a.sourceType = :source AND a.receivedAt >= :from"
                + " AND a.receivedAt < :to ORDER BY a.receivedAt DESC, a.id DESC")
public class AlertEntity {

    @Id
    @SequenceGenerator(name = "seq_alert", sequenceName = "seq_alert", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_alert")
    Long id;

    @Column(name = "incident_id", nullable = false)
    long incidentId;

    @Column(name = "source_type", nullable = false)
    String sourceType;

    @Column(name = "source_instance")
    String sourceInstance;

    @Column(name = "external_id")
    String externalId;

    @Column(name = "severity", nullable = false)
    Severity severity;

    @Column(name = "summary", nullable = false)
    String summary;

    @Column(name = "description")
    String description;

    @Column(name = "occurred_at", nullable = false)
    Instant occurredAt;

    @Column(name = "received_at", nullable = false)
    Instant receivedAt;

    @Column(name = "data_json")
    String dataJson;

    @Override
    public boolean equals(Object other) {
        return other instanceof AlertEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return AlertEntity.class.hashCode();
    }
}
