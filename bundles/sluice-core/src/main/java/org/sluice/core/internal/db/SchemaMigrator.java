package org.sluice.core.internal.db;

import java.sql.Connection;
import java.util.Hashtable;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database schema up to date with Liquibase when the Sluice data source appears, then registers {@link
 * SchemaReady}. Liquibase's own lock table keeps two nodes from migrating at once. A failed migration leaves
 * SchemaReady unregistered, so nothing that needs the database starts, and the log says why.
 */
@Component(immediate = true)
public class SchemaMigrator {

    static final String CHANGELOG = "db/changelog/sluice.xml";

    private final Logger logger = LoggerFactory.getLogger(SchemaMigrator.class);

    private final DataSource dataSource;
    private ServiceRegistration<SchemaReady> registration;
    private String database = "";

    @Activate
    public SchemaMigrator(@Reference(target = "(osgi.jndi.service.name=sluice)") DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Activate
    void activate(BundleContext context) throws Exception {
        String last = migrate();
        String product = database;
        registration = context.registerService(
                SchemaReady.class,
                new SchemaReady() {
                    @Override
                    public String lastChangeSet() {
                        return last;
                    }

                    @Override
                    public String database() {
                        return product;
                    }
                },
                new Hashtable<>());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    /** Applies pending change sets and returns the id of the last one in the changelog. */
    String migrate() throws Exception {
        long started = System.nanoTime();
        ClassLoader loader = SchemaMigrator.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try (Connection connection = dataSource.getConnection()) {
            Database database =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            this.database = database.getDatabaseProductName() + " " + database.getDatabaseProductVersion();
            try (Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(loader), database)) {
                int pending = liquibase.listUnrunChangeSets(null, null).size();
                // Liquibase's default UI prints to standard output; send its words to the log instead.
                Scope.child(Scope.Attr.ui.name(), new LoggerUIService(), () -> liquibase.update((String) null));
                String last = liquibase.getDatabaseChangeLog().getChangeSets().stream()
                        .reduce((first, second) -> second)
                        .map(ChangeSet::getId)
                        .orElse("");
                logger.info(
                        "Database schema ready on {} at change set '{}' ({} applied now, {} ms)",
                        database.getDatabaseProductName(),
                        last,
                        pending,
                        (System.nanoTime() - started) / 1_000_000);
                return last;
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
