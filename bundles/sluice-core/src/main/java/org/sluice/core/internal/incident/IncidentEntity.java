package org.sluice.core.internal.incident;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;
import org.sluice.api.incident.IncidentState;
import org.sluice.api.incident.Severity;

@Entity
@Table(name = "incident")
@NamedQuery(name = "Incident.openByLinkHash", query = "SELECT i FROM IncidentEntity i WHERE i.openLinkHash = :hash")
public class IncidentEntity {

    @Id
    @SequenceGenerator(name = "seq_incident", sequenceName = "seq_incident", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_incident")
    Long id;

    @Column(name = "summary", nullable = false)
    String summary;

    @Column(name = "description")
    String description;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    IncidentState state;

    @Column(name = "severity", nullable = false)
    Severity severity;

    @Column(name = "assignee")
    String assignee;

    @Column(name = "team")
    String team;

    @Column(name = "link_key")
    String linkKey;

    @Column(name = "open_link_hash")
    String openLinkHash;

    @Column(name = "source_type", nullable = false)
    String sourceType;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "closed_at")
    Instant closedAt;

    @Column(name = "close_summary")
    String closeSummary;

    @Column(name = "close_detail")
    String closeDetail;

    @Column(name = "successful_quarantines", nullable = false)
    int successfulQuarantines;

    @Column(name = "failed_quarantines", nullable = false)
    int failedQuarantines;

    @Override
    public boolean equals(Object other) {
        return other instanceof IncidentEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return IncidentEntity.class.hashCode();
    }
}
