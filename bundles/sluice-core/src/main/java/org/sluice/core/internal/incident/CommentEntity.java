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
@Table(name = "incident_comment")
@NamedQuery(
        name = "Comment.byIncident",
        query = "SELECT c FROM CommentEntity c WHERE c.incidentId = :incident ORDER BY c.createdAt, c.id")
public class CommentEntity {

    @Id
    @SequenceGenerator(name = "seq_comment", sequenceName = "seq_comment", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_comment")
    Long id;

    @Column(name = "incident_id", nullable = false)
    long incidentId;

    @Column(name = "author", nullable = false)
    String author;

    @Column(name = "body", nullable = false)
    String body;

    @Column(name = "detail")
    String detail;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof CommentEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return CommentEntity.class.hashCode();
    }
}
