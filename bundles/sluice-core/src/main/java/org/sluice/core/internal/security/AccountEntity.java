package org.sluice.core.internal.security;

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
import org.sluice.api.security.Role;

@Entity
@Table(name = "account")
@NamedQuery(name = "Account.byName", query = "SELECT a FROM AccountEntity a WHERE a.username = :name")
@NamedQuery(name = "Account.all", query = "SELECT a FROM AccountEntity a ORDER BY a.username")
@NamedQuery(
        name = "Account.enabledAdmins",
        query = "SELECT a FROM AccountEntity a WHERE a.role = :role AND a.disabled = false ORDER BY a.id")
@NamedQuery(name = "Account.count", query = "SELECT COUNT(a) FROM AccountEntity a")
public class AccountEntity {

    @Id
    @SequenceGenerator(name = "seq_account", sequenceName = "seq_account", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_account")
    Long id;

    @Column(name = "username", nullable = false)
    String username;

    @Column(name = "password_hash", nullable = false)
    String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(name = "role", nullable = false)
    Role role;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "disabled", nullable = false)
    boolean disabled;

    @Override
    public boolean equals(Object other) {
        return other instanceof AccountEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return AccountEntity.class.hashCode();
    }
}
