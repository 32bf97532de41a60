package org.sluice.core.internal.security;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "idempotency_record")
public class IdempotencyEntity {

    /** SHA-256 of the caller scope and the client's key, so that neither's length or content matters. */
    @Id
    @Column(name = "idem_key")
    String key;

    @Column(name = "request_hash", nullable = false)
    String requestHash;

    /** The stored response's status; 0 while the first request is still being worked on. */
    @Column(name = "status", nullable = false)
    int status;

    @Column(name = "body")
    String body;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof IdempotencyEntity that && key != null && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return IdempotencyEntity.class.hashCode();
    }
}
