package org.sluice.core.internal.audit;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

@Entity
@Table(name = "audit_event")
public class AuditEntity {

    @Id
    @SequenceGenerator(name = "seq_audit", sequenceName = "seq_audit", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_audit")
    Long id;

    @Column(name = "at", nullable = false)
    Instant at;

    @Column(name = "actor_kind", nullable = false)
    String actorKind;

    @Column(name = "actor", nullable = false)
    String actor;

    @Column(name = "origin")
    String origin;

    @Column(name = "action", nullable = false)
    String action;

    @Column(name = "target_type", nullable = false)
    String targetType;

    @Column(name = "target_id")
    String targetId;

    @Column(name = "detail")
    String detail;

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return AuditEntity.class.hashCode();
    }
}
