package org.sluice.core.internal.quarantine;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

/** One queued job of a manual response request. */
@Entity
@Table(name = "manual_response_job")
@NamedQuery(
        name = "ManualResponseJob.byRequest",
        query = "SELECT j.jobId FROM ManualResponseJobEntity j WHERE j.requestId = :request ORDER BY j.id")
@NamedQuery(
        name = "ManualResponseJob.progress",
        query = "SELECT r.state, COUNT(r) FROM ManualResponseJobEntity j, ResponseJobEntity r"
                + " WHERE j.requestId = :request AND r.id = j.jobId GROUP BY r.state")
public class ManualResponseJobEntity {

    @Id
    @SequenceGenerator(name = "seq_manual_response_job", sequenceName = "seq_manual_response_job", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_manual_response_job")
    Long id;

    @Column(name = "request_id", nullable = false)
    long requestId;

    @Column(name = "job_id", nullable = false)
    long jobId;

    @Override
    public boolean equals(Object other) {
        return other instanceof ManualResponseJobEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return ManualResponseJobEntity.class.hashCode();
    }
}
