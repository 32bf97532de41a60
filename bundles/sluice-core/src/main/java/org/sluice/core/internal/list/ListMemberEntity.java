package org.sluice.core.internal.list;

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
@Table(name = "list_member")
@NamedQuery(
        name = "ListMember.byList",
        query = "SELECT m FROM ListMemberEntity m WHERE m.listId = :list ORDER BY m.createdAt, m.id")
public class ListMemberEntity {

    @Id
    @SequenceGenerator(name = "seq_list_member", sequenceName = "seq_list_member", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_list_member")
    Long id;

    @Column(name = "list_id", nullable = false)
    long listId;

    @Column(name = "member_value", nullable = false)
    String value;

    @Column(name = "description")
    String description;

    @Column(name = "expiration")
    Instant expiration;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof ListMemberEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return ListMemberEntity.class.hashCode();
    }
}
