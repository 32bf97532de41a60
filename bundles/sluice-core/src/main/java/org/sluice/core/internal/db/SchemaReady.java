package org.sluice.core.internal.db;

/**
 * A marker service registered once the database schema is at the version this build expects. Components that use
 * the database reference it, so none of them runs against a schema that is missing or old.
 */
public interface SchemaReady {

    /** The id of the last change set applied. */
    String lastChangeSet();

    /** The database product and version, as its driver reports them. */
    String database();
}
