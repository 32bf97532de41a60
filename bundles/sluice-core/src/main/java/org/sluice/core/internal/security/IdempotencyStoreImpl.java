package org.sluice.core.internal.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.api.idempotency.IdempotencyStore;
import org.sluice.core.internal.Hashes;
import org.sluice.core.internal.db.Database;

/**
 * Idempotency records in the {@code idempotency_record} table. The primary key makes claims race-free across
 * threads and nodes: the first insert wins, every other claimant reads the winner's row. Expired records are removed
 * whenever a key is claimed.
 */
@Component(service = IdempotencyStore.class)
public class IdempotencyStoreImpl implements IdempotencyStore {

    private static final Duration RETENTION = Duration.ofHours(RETENTION_HOURS);

    private final Database database;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public IdempotencyStoreImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public Claim claim(String scope, String key, String requestHash) {
        String id = id(scope, key);
        Instant now = clock.instant();
        database.inTransaction(
                em -> em.createQuery("DELETE FROM IdempotencyEntity e WHERE e.key = :key AND e.createdAt < :cutoff")
                        .setParameter("key", id)
                        .setParameter("cutoff", now.minus(RETENTION))
                        .executeUpdate());
        // Looked up before inserting: a replay is the common case, and a failed insert makes EclipseLink log a WARN
        // with a stack trace. Two first requests racing still meet at the primary key below.
        IdempotencyEntity earlier = database.inTransaction(em -> em.find(IdempotencyEntity.class, id));
        if (earlier != null) {
            return claimOf(earlier, requestHash);
        }
        try {
            database.inTransaction(em -> {
                IdempotencyEntity entity = new IdempotencyEntity();
                entity.key = id;
                entity.requestHash = requestHash;
                entity.createdAt = now;
                em.persist(entity);
                em.flush();
                return null;
            });
            return new Claim(Claim.State.NEW, 0, null);
        } catch (PersistenceException e) {
            if (!Database.isConstraintViolation(e)) {
                throw e;
            }
        }
        IdempotencyEntity existing = database.inTransaction(em -> em.find(IdempotencyEntity.class, id));
        if (existing == null) {
            // Released between our insert and our read: the client may simply retry.
            return new Claim(Claim.State.IN_PROGRESS, 0, null);
        }
        return claimOf(existing, requestHash);
    }

    private static Claim claimOf(IdempotencyEntity existing, String requestHash) {
        if (!existing.requestHash.equals(requestHash)) {
            return new Claim(Claim.State.MISMATCH, 0, null);
        }
        if (existing.status == 0) {
            return new Claim(Claim.State.IN_PROGRESS, 0, null);
        }
        return new Claim(Claim.State.REPLAY, existing.status, existing.body);
    }

    @Override
    public void complete(String scope, String key, int status, String body) {
        database.inTransaction(em -> {
            IdempotencyEntity entity = em.find(IdempotencyEntity.class, id(scope, key));
            if (entity != null) {
                entity.status = status;
                entity.body = body;
            }
            return null;
        });
    }

    @Override
    public void release(String scope, String key) {
        database.inTransaction(em -> em.createQuery("DELETE FROM IdempotencyEntity e WHERE e.key = :key")
                .setParameter("key", id(scope, key))
                .executeUpdate());
    }

    private static String id(String scope, String key) {
        return Hashes.sha256Hex(scope + "\n" + key);
    }
}
