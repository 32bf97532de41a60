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
import org.sluice.api.response.ResponseOutcome;

@Entity
@Table(name = "response_attempt")
@NamedQuery(
        name = "ResponseAttempt.byJob",
        query = "SELECT a FROM ResponseAttemptEntity a WHERE a.jobId = :job ORDER BY a.number, a.id")
public class ResponseAttemptEntity {

    @Id
    @SequenceGenerator(name = "seq_response_attempt", sequenceName = "seq_response_attempt", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_response_attempt")
    Long id;

    @Column(name = "job_id", nullable = false)
    long jobId;

    @Column(name = "attempt_no", nullable = false)
    int number;

    @Column(name = "node", nullable = false)
    String node;

    @Column(name = "started_at", nullable = false)
    Instant startedAt;

    @Column(name = "ended_at", nullable = false)
    Instant endedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    ResponseOutcome.Status status;

    @Column(name = "provider_status")
    String providerStatus;

    @Column(name = "detail")
    String detail;

    @Column(name = "next_attempt_at")
    Instant nextAttemptAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof ResponseAttemptEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return ResponseAttemptEntity.class.hashCode();
    }
}
