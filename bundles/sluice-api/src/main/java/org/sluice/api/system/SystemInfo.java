package org.sluice.api.system;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/** Facts about the running server, for the shell, the API and the appliance pages. */
@ProviderType
public interface SystemInfo {

    Status status();

    /**
     * A snapshot of the server's state.
     *
     * @param version the Sluice version
     * @param nodeId this node's id in a cluster
     * @param startedAt when the core started on this node
     * @param database the database product and version
     * @param schemaChangeSet the last migration applied
     */
    record Status(String version, String nodeId, Instant startedAt, String database, String schemaChangeSet) {}
}
