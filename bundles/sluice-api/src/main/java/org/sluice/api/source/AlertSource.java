package org.sluice.api.source;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An alert source plugin (TAP poller, CSV upload, JSON events, abuse mailbox), registered as an OSGi service. A source
 * hands alerts to the core through {@link org.sluice.api.incident.IncidentService#submitAlert}; the core lists sources
 * and their health in the console, the API and the shell.
 *
 * <p>Methods must return quickly and must not block on the network: connectivity checks belong on the source's own
 * scheduler, whose latest result {@link #health()} reports.
 */
@ConsumerType
public interface AlertSource {

    /** The service property carrying the type name. */
    String TYPE_PROPERTY = "sluice.source.type";

    /** The stable type name ({@code tap}, {@code json}, {@code smart-search-csv}). */
    String type();

    /** A name for people, such as "TAP SIEM API". */
    String displayName();

    /** The latest known health of this source. */
    SourceHealth health();

    /**
     * The name of the configured instance for a source with several (each JSON event source is one), or {@code null}
     * for a single-instance source. It is shown to people, so it is never a secret.
     */
    default String instance() {
        return null;
    }
}
