package org.sluice.core.internal.queue;

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
import org.sluice.api.response.JobState;

@Entity
@Table(name = "response_job")
@NamedQuery(
        name = "ResponseJob.countByState",
        query = "SELECT j.state, COUNT(j) FROM ResponseJobEntity j GROUP BY j.state")
public class ResponseJobEntity {

    @Id
    @SequenceGenerator(name = "seq_response_job", sequenceName = "seq_response_job", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_response_job")
    Long id;

    @Column(name = "type", nullable = false)
    String typeName;

    @Column(name = "incident_id")
    Long incidentId;

    @Column(name = "target", nullable = false)
    String target;

    @Column(name = "parameters_json")
    String parametersJson;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    JobState state;

    /** Attempts claimed so far, including one in flight; also the fencing token of the current claim. */
    @Column(name = "attempts", nullable = false)
    int attempts;

    @Column(name = "max_attempts", nullable = false)
    int maxAttempts;

    @Column(name = "next_attempt_at", nullable = false)
    Instant nextAttemptAt;

    @Column(name = "claimed_by")
    String claimedBy;

    @Column(name = "lease_until")
    Instant leaseUntil;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "last_detail")
    String lastDetail;

    @Override
    public boolean equals(Object other) {
        return other instanceof ResponseJobEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return ResponseJobEntity.class.hashCode();
    }
}
