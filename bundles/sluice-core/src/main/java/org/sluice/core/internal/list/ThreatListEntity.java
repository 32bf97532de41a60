package org.sluice.core.internal.list;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

@Entity
@Table(name = "threat_list")
public class ThreatListEntity {

    @Id
    @SequenceGenerator(name = "seq_threat_list", sequenceName = "seq_threat_list", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_threat_list")
    Long id;

    @Column(name = "name", nullable = false)
    String name;

    @Column(name = "kind", nullable = false)
    String kind;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof ThreatListEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return ThreatListEntity.class.hashCode();
    }
}
