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
@Table(name = "api_key")
@NamedQuery(name = "ApiKey.byPrefix", query = "SELECT k FROM ApiKeyEntity k WHERE k.prefix = :prefix")
@NamedQuery(
        name = "ApiKey.liveByCreator",
        query = "SELECT k FROM ApiKeyEntity k WHERE k.createdBy = :creator AND k.revokedAt IS NULL ORDER BY k.id")
@NamedQuery(name = "ApiKey.all", query = "SELECT k FROM ApiKeyEntity k ORDER BY k.id")
public class ApiKeyEntity {

    @Id
    @SequenceGenerator(name = "seq_api_key", sequenceName = "seq_api_key", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_api_key")
    Long id;

    @Column(name = "name", nullable = false)
    String name;

    @Column(name = "prefix", nullable = false)
    String prefix;

    @Column(name = "secret_hash", nullable = false)
    String secretHash;

    @Enumerated(EnumType.STRING)
    @Column(name = "role", nullable = false)
    Role role;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "last_used_at")
    Instant lastUsedAt;

    @Column(name = "revoked_at")
    Instant revokedAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKeyEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return ApiKeyEntity.class.hashCode();
    }
}
