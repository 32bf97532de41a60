package org.sluice.core.internal.db;

import java.sql.SQLException;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The core's access to its database: JPA transactions over the Sluice persistence unit, and the raw data source for
 * the few places that stream (raw mail). Available only once the schema is ready.
 */
@Component(service = Database.class)
public class Database {

    private final EntityManagerFactory emf;
    private final DataSource dataSource;

    @Activate
    public Database(
            @Reference(target = "(osgi.unit.name=sluice)") EntityManagerFactory emf,
            @Reference(target = "(osgi.jndi.service.name=sluice)") DataSource dataSource,
            @Reference SchemaReady schemaReady) {
        this.emf = emf;
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in a new transaction and commits it; any exception rolls it back and propagates. The entity
     * manager is closed afterwards, so returned entities are detached.
     */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    /** Whether {@code failure} was caused by a unique or other integrity constraint (SQLSTATE class 23). */
    public static boolean isConstraintViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("23")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
