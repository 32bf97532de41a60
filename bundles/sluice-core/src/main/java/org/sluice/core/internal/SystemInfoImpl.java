package org.sluice.core.internal;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.api.system.SystemInfo;
import org.sluice.core.internal.db.SchemaReady;

/** Facts about this node. The node id is {@code sluice.node.id} when set, else host name and process id. */
@Component(service = SystemInfo.class)
public class SystemInfoImpl implements SystemInfo {

    private final SchemaReady schema;
    private final String version;
    private final Instant startedAt = Instant.now();

    @Activate
    public SystemInfoImpl(@Reference SchemaReady schema, BundleContext context) {
        this.schema = schema;
        this.version = context.getBundle().getVersion().toString();
    }

    @Override
    public Status status() {
        return new Status(version, nodeId(), startedAt, schema.database(), schema.lastChangeSet());
    }

    /** This node's id, stable for the life of the process. */
    public static String nodeId() {
        String configured = System.getProperty("sluice.node.id");
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
