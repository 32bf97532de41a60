package org.sluice.core.internal.incident;

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
import org.sluice.api.incident.IncidentUser;

@Entity
@Table(name = "incident_user")
@NamedQuery(
        name = "IncidentUser.byIncident",
        query = "SELECT u FROM IncidentUserEntity u WHERE u.incidentId = :incident ORDER BY u.id")
public class IncidentUserEntity {

    @Id
    @SequenceGenerator(name = "seq_incident_user", sequenceName = "seq_incident_user", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_incident_user")
    Long id;

    @Column(name = "incident_id", nullable = false)
    long incidentId;

    @Column(name = "username", nullable = false)
    String username;

    @Enumerated(EnumType.STRING)
    @Column(name = "user_role", nullable = false)
    IncidentUser.Role role;

    @Override
    public boolean equals(Object other) {
        return other instanceof IncidentUserEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return IncidentUserEntity.class.hashCode();
    }
}
