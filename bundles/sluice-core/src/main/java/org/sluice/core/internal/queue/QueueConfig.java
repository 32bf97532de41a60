package org.sluice.core.internal.queue;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The response queue's node-local settings, PID {@value #PID}; read by the worker and, for the default attempt
 * budget, by the queue. The attempt budget moves to the database-held "Quarantine Settings" once they exist.
 */
@ObjectClassDefinition(
        name = "Sluice response queue",
        description = "How this node runs queued responses (quarantines, undos, notifications).")
public @interface QueueConfig {

    /** The configuration PID. */
    String PID = "org.sluice.queue";

    @AttributeDefinition(
            name = "Worker threads",
            description = "How many responses this node runs at the same time. Default 4.",
            min = "1")
    int workerThreads() default 4;

    @AttributeDefinition(
            name = "Poll interval (ms)",
            description = "How long an idle worker waits before it looks for due responses again. Default 1000.",
            min = "50")
    long pollIntervalMillis() default 1_000;

    @AttributeDefinition(
            name = "Lease (s)",
            description = "How long a node holds a response it runs before another node may take it over; must be"
                    + " longer than the call timeout. Default 60.",
            min = "2")
    int leaseSeconds() default 60;

    @AttributeDefinition(
            name = "Call timeout (s)",
            description = "How long one attempt may take before it counts as a retryable failure; cut to 80% of the"
                    + " lease when longer. Default 30.",
            min = "1")
    int callTimeoutSeconds() default 30;
}
