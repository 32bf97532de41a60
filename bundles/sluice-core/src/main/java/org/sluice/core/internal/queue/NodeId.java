package org.sluice.core.internal.queue;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name this node writes into the claims it takes and the attempts it records. */
final class NodeId {

    /** System property that names the node; when unset, the host name and process id are used. */
    static final String PROPERTY = "sluice.node.id";

    private static final int MAX_LENGTH = 128;

    private NodeId() {}

    static String resolve() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return limit(configured.strip());
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return limit(host + ":" + ProcessHandle.current().pid());
    }

    private static String limit(String id) {
        return id.length() <= MAX_LENGTH ? id : id.substring(0, MAX_LENGTH);
    }
}
