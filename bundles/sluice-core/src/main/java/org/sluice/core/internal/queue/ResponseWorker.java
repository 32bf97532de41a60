package org.sluice.core.internal.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.fault.CrashPoints;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseType;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.queue.JobStore.Claim;

/**
 * Runs queued responses on this node. Each worker thread claims one due job at a time in a short transaction, calls
 * the job's {@link ResponseType} outside any transaction through a {@link SafeCaller} (timeout, every failure turned
 * into a retryable outcome), and records the attempt and the job's next state in another transaction. Jobs of types
 * that are not registered are never claimed: they stay queued, untouched, until their type appears.
 *
 * <p>Limits: the lease is not renewed while an attempt runs, which is why the call timeout is cut below the lease. A
 * job whose node died while it ran is taken over once its lease expires; until then it shows as RUNNING. A job of an
 * absent type whose lease expired also stays RUNNING until its type returns. Idle workers poll; there is no wake-up
 * on enqueue, so a new job waits up to one poll interval.
 */
@Component(
        immediate = true,
        configurationPid = QueueConfig.PID,
        service = {})
@Designate(ocd = QueueConfig.class)
public class ResponseWorker {

    private final Logger logger = LoggerFactory.getLogger(ResponseWorker.class);

    private final JobStore store;
    private final String node;
    private final int threads;
    private final long pollMillis;
    private final Duration lease;
    private final Duration callTimeout;
    private final RandomGenerator random;

    /** Registered response types by type name; written by DS bind/unbind, read by worker threads. */
    private final Map<String, ResponseType> types = new ConcurrentHashMap<>();

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(sluice.clock=*)")
    private volatile Clock clock;

    /** Set on activation, cleared on deactivation; guarded by {@code this}. */
    private ExecutorService workers;

    private SafeCaller caller;
    private volatile boolean running;

    @Activate
    public ResponseWorker(@Reference Database database, QueueConfig config) {
        this(new JobStore(database), config, NodeId.resolve(), RandomGenerator.getDefault());
    }

    /** The seam for tests: a given store, node name and random source. */
    ResponseWorker(JobStore store, QueueConfig config, String node, RandomGenerator random) {
        this.store = store;
        this.node = node;
        this.random = random;
        this.threads = Math.max(1, config.workerThreads());
        this.pollMillis = Math.max(50, config.pollIntervalMillis());
        this.lease = Duration.ofSeconds(Math.max(2, config.leaseSeconds()));
        Duration timeout = Duration.ofSeconds(Math.max(1, config.callTimeoutSeconds()));
        Duration ceiling = lease.multipliedBy(4).dividedBy(5);
        if (timeout.compareTo(ceiling) > 0) {
            logger.warn(
                    "Response call timeout of {} s is not shorter than the lease of {} s; using {} ms",
                    config.callTimeoutSeconds(),
                    lease.toSeconds(),
                    ceiling.toMillis());
            timeout = ceiling;
        }
        this.callTimeout = timeout;
    }

    @Activate
    synchronized void activate() {
        running = true;
        caller = new SafeCaller("sluice-response-call-");
        AtomicInteger count = new AtomicInteger();
        workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "sluice-response-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < threads; i++) {
            workers.execute(this::loop);
        }
        logger.info(
                "Response queue worker started on node '{}': {} threads, lease {} s, call timeout {} ms",
                node,
                threads,
                lease.toSeconds(),
                callTimeout.toMillis());
    }

    /**
     * Stops the worker threads: interrupts them, waits a few seconds for attempts in flight to be recorded, and
     * leaves any that do not finish to lease expiry.
     */
    @Deactivate
    synchronized void deactivate() {
        running = false;
        workers.shutdownNow();
        caller.close();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                logger.warn("Response worker threads on node '{}' did not stop within 10 s", node);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logger.info("Response queue worker stopped on node '{}'", node);
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addResponseType(ResponseType type) {
        String name = typeName(type);
        if (name != null) {
            ResponseType previous = types.put(name, type);
            if (previous != null && previous != type) {
                logger.warn("Two services offer response type '{}'; the one registered last is used", name);
            }
            logger.debug("Response type '{}' available", name);
        }
    }

    void removeResponseType(ResponseType type) {
        String name = typeName(type);
        if (name != null && types.remove(name, type)) {
            logger.debug("Response type '{}' gone; its jobs wait", name);
        }
    }

    private String typeName(ResponseType type) {
        try {
            String name = type.type();
            if (name == null || name.isBlank()) {
                logger.warn(
                        "A response type service from '{}' has no type name; ignored",
                        type.getClass().getName());
                return null;
            }
            return name;
        } catch (RuntimeException e) {
            logger.warn(
                    "A response type service from '{}' failed to name itself; ignored",
                    type.getClass().getName());
            logger.debug("Response type name failure", e);
            return null;
        }
    }

    private Clock clock() {
        Clock injected = clock;
        return injected == null ? Clock.systemUTC() : injected;
    }

    private void loop() {
        while (running && !Thread.currentThread().isInterrupted()) {
            boolean worked;
            try {
                worked = runOne();
            } catch (RuntimeException e) {
                worked = false;
                logger.warn("Response worker on node '{}' could not use the queue: {}", node, e.toString());
                logger.debug("Response worker failure", e);
            }
            if (!worked) {
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Claims and runs at most one due job; returns whether it found one. */
    boolean runOne() {
        Set<String> present = Set.copyOf(types.keySet());
        Instant now = clock().instant();
        Optional<Claim> claimed = store.claim(present, node, now, now.plus(lease));
        if (claimed.isEmpty()) {
            return false;
        }
        Claim claim = claimed.get();
        String typeName = claim.request().type();
        ResponseType type = types.get(typeName);
        if (type == null) {
            store.release(claim, node, clock().instant());
            return true;
        }
        CrashPoints.reach("queue.after-claim");
        Instant started = clock().instant();
        ResponseOutcome outcome = caller.call(type, claim.request(), callTimeout);
        Instant ended = clock().instant();
        CrashPoints.reach("queue.before-record");
        NextStep next = NextStep.after(outcome, claim.attempt(), claim.maxAttempts(), ended, random);
        boolean applied = store.record(claim, node, started, ended, outcome, next);
        if (!applied) {
            logger.debug(
                    "Job '{}' changed while attempt {} ran (cancelled or taken over); attempt recorded only",
                    claim.jobId(),
                    claim.attempt());
        } else if (next.state() == JobState.FAILED) {
            logger.warn(
                    "Response job '{}' of type '{}' failed after attempt {}: {}",
                    claim.jobId(),
                    typeName,
                    claim.attempt(),
                    outcome.detail());
        } else {
            logger.debug(
                    "Response job '{}' attempt {}: {} -> {}",
                    claim.jobId(),
                    claim.attempt(),
                    outcome.status(),
                    next.state());
        }
        return true;
    }
}
