package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.sluice.api.audit.AuditEvent;
import org.sluice.api.audit.AuditLog;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.response.Backoff;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseAttempt;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseOutcome.Status;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.Actor;

/**
 * The response queue on the real distribution, with the test-only response type {@code testing} (feature
 * {@code sluice-response-testing}): success, waiting for an absent type, the R2 schedule on an injected clock,
 * cancel and retry now.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResponseQueueIT extends SluiceTestSupport {

    private static final String TYPE = "testing";
    private static final String BUNDLE = "sluice-response-testing";
    private static final long POLL_MS = 100;
    private static final Actor ACTOR = Actor.user("itest", "itest");

    @Inject
    private ResponseQueue queue;

    @Inject
    private AuditLog audit;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(Arrays.asList(distribution()));
        String effects = new File("target/effects/" + UUID.randomUUID()).getAbsolutePath();
        options.add(features(
                maven("org.sluice", "sluice-features")
                        .classifier("features")
                        .type("xml")
                        .version(System.getProperty("sluice.version")),
                "sluice-response-testing"));
        options.add(
                editConfigurationFilePut("etc/org.sluice.queue.cfg", "pollIntervalMillis", String.valueOf(POLL_MS)));
        options.add(systemProperty("sluice.testing.dir").value(effects));
        return options.toArray(new Option[0]);
    }

    @Test
    public void jobSucceedsWithOneAttemptOneEffectAndAnAuditTrail() throws Exception {
        ResponseJob queued = queue.enqueue(TYPE, null, "copy-1", Map.of(), 0, ACTOR);

        assertEquals(JobState.QUEUED, queued.state());
        assertEquals(10, queued.maxAttempts());
        ResponseJob done = awaitState(queued.id(), JobState.SUCCEEDED);

        List<ResponseAttempt> attempts = queue.attempts(queued.id());
        assertEquals(1, done.attempts());
        assertEquals(1, attempts.size());
        assertEquals(Status.DONE, attempts.get(0).status());
        assertNull(attempts.get(0).nextAttemptAt());
        assertNotNull(attempts.get(0).node());
        assertTrue(Files.exists(effect(queued.id())));
        assertTrue(audited(queued.id(), "response.enqueue"));
        assertTrue(audited(queued.id(), "response.finish"));
        assertEquals(
                Arrays.asList(JobState.values()),
                new ArrayList<>(queue.depthByState().keySet()));
    }

    @Test
    public void jobOfAnAbsentTypeWaitsUntouchedAndRunsWhenTheTypeArrives() throws Exception {
        Bundle plugin = bundle(BUNDLE);
        plugin.stop();
        try {
            ResponseJob queued = queue.enqueue(TYPE, null, "copy-absent", Map.of(), 0, ACTOR);

            // Twenty poll intervals with the type absent: the job must not be touched at all.
            long until = System.nanoTime() + Duration.ofMillis(20 * POLL_MS).toNanos();
            while (System.nanoTime() < until) {
                ResponseJob now = queue.get(queued.id()).orElseThrow();
                assertEquals(JobState.QUEUED, now.state());
                assertEquals(0, now.attempts());
                assertNull(now.claimedBy());
                Thread.sleep(POLL_MS / 2);
            }
            assertTrue(queue.attempts(queued.id()).isEmpty());
            assertTrue(queue.depthByState().get(JobState.QUEUED) >= 1);

            plugin.start();

            awaitState(queued.id(), JobState.SUCCEEDED);
            assertEquals(1, queue.attempts(queued.id()).size());
            assertTrue(Files.exists(effect(queued.id())));
        } finally {
            plugin.start();
        }
    }

    @Test
    public void retriesFollowTheR2ScheduleOnTheInjectedClockUntilTheBudgetIsSpent() throws Exception {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("sluice.clock", "test");
        ServiceRegistration<Clock> registration = context.registerService(Clock.class, clock, properties);
        try {
            int budget = 6;
            ResponseJob job = queue.enqueue(TYPE, null, "copy-retry", Map.of("failFirst", "100"), budget, ACTOR);
            assertEquals(clock.instant(), job.nextAttemptAt());

            for (int attempt = 1; attempt <= budget; attempt++) {
                int expected = attempt;
                await(
                        Duration.ofSeconds(20),
                        () -> assertEquals(expected, queue.attempts(job.id()).size()));
                ResponseAttempt last = queue.attempts(job.id()).get(attempt - 1);
                ResponseJob now = queue.get(job.id()).orElseThrow();
                assertEquals(Status.RETRYABLE, last.status());
                assertEquals(clock.instant(), last.endedAt());
                if (attempt == budget) {
                    assertEquals(JobState.FAILED, now.state());
                    assertNull(last.nextAttemptAt());
                    break;
                }
                long waited =
                        Duration.between(last.endedAt(), last.nextAttemptAt()).toMillis();
                long base = Backoff.base(attempt).toMillis();
                assertTrue(
                        "retry " + attempt + " waits " + waited + " ms, base " + base,
                        waited >= base + Backoff.JITTER_MIN_MS && waited <= base + Backoff.JITTER_MAX_MS);
                assertEquals(JobState.QUEUED, now.state());
                assertEquals(last.nextAttemptAt(), now.nextAttemptAt());
                if (attempt == 1) {
                    // One millisecond early: not due, so no attempt for a good while.
                    clock.set(last.nextAttemptAt().minusMillis(1));
                    Thread.sleep(10 * POLL_MS);
                    assertEquals(1, queue.attempts(job.id()).size());
                }
                clock.set(last.nextAttemptAt());
            }
            assertEquals(budget, queue.get(job.id()).orElseThrow().attempts());

            ResponseJob throttled = queue.enqueue(
                    TYPE, null, "copy-throttled", Map.of("failFirst", "1", "retryAfterMs", "30000"), 0, ACTOR);
            await(
                    Duration.ofSeconds(20),
                    () -> assertEquals(1, queue.attempts(throttled.id()).size()));
            ResponseAttempt first = queue.attempts(throttled.id()).get(0);
            assertEquals(first.endedAt().plusSeconds(30), first.nextAttemptAt());
            clock.set(first.nextAttemptAt());
            awaitState(throttled.id(), JobState.SUCCEEDED);
        } finally {
            registration.unregister();
        }
    }

    @Test
    public void exceptionsFromTheTypeBecomeRetryableAttemptsAndTheWorkerCarriesOn() throws Exception {
        ResponseJob job = queue.enqueue(TYPE, null, "copy-throws", Map.of("throw", "true"), 1, ACTOR);

        awaitState(job.id(), JobState.FAILED);
        ResponseAttempt attempt = queue.attempts(job.id()).get(0);
        assertEquals(Status.RETRYABLE, attempt.status());
        assertTrue(attempt.detail(), attempt.detail().contains("IllegalStateException: throwing on purpose"));

        ResponseJob next = queue.enqueue(TYPE, null, "copy-after-throw", Map.of(), 0, ACTOR);
        awaitState(next.id(), JobState.SUCCEEDED);
    }

    @Test
    public void cancelEndsAWaitingJobAndARunningAttemptCannotUndoIt() throws Exception {
        ResponseJob waiting = queue.enqueue(
                TYPE, null, "copy-cancel", Map.of("failFirst", "100", "retryAfterMs", "3600000"), 0, ACTOR);
        await(
                Duration.ofSeconds(20),
                () -> assertEquals(1, queue.attempts(waiting.id()).size()));

        ResponseJob cancelled = queue.cancel(waiting.id(), ACTOR);

        assertEquals(JobState.CANCELLED, cancelled.state());
        assertThrows(ConflictException.class, () -> queue.cancel(waiting.id(), ACTOR));
        assertThrows(ConflictException.class, () -> queue.retryNow(waiting.id(), ACTOR));
        assertThrows(NotFoundException.class, () -> queue.cancel(Long.MAX_VALUE, ACTOR));
        assertTrue(audited(waiting.id(), "response.cancel"));

        ResponseJob slow = queue.enqueue(TYPE, null, "copy-cancel-running", Map.of("sleepMs", "1500"), 0, ACTOR);
        awaitState(slow.id(), JobState.RUNNING);
        queue.cancel(slow.id(), ACTOR);
        await(
                Duration.ofSeconds(20),
                () -> assertEquals(1, queue.attempts(slow.id()).size()));

        assertEquals(Status.DONE, queue.attempts(slow.id()).get(0).status());
        assertEquals(JobState.CANCELLED, queue.get(slow.id()).orElseThrow().state());
    }

    @Test
    public void retryNowMakesAWaitingJobDueAndGivesAFailedJobOneMoreAttempt() throws Exception {
        ResponseJob waiting = queue.enqueue(
                TYPE, null, "copy-retry-now", Map.of("failFirst", "1", "retryAfterMs", "3600000"), 0, ACTOR);
        await(
                Duration.ofSeconds(20),
                () -> assertEquals(1, queue.attempts(waiting.id()).size()));
        assertEquals(JobState.QUEUED, queue.get(waiting.id()).orElseThrow().state());

        queue.retryNow(waiting.id(), ACTOR);

        awaitState(waiting.id(), JobState.SUCCEEDED);
        assertEquals(2, queue.attempts(waiting.id()).size());
        assertTrue(audited(waiting.id(), "response.retry_now"));

        ResponseJob failing = queue.enqueue(TYPE, null, "copy-permanent", Map.of("fail", "permanent"), 0, ACTOR);
        awaitState(failing.id(), JobState.FAILED);

        ResponseJob again = queue.retryNow(failing.id(), ACTOR);

        assertEquals(JobState.QUEUED, again.state());
        assertTrue(again.maxAttempts() > again.attempts());
        await(
                Duration.ofSeconds(20),
                () -> assertEquals(2, queue.attempts(failing.id()).size()));
        awaitState(failing.id(), JobState.FAILED);
    }

    private ResponseJob awaitState(long jobId, JobState state) throws Exception {
        await(
                Duration.ofSeconds(30),
                () -> assertEquals(state, queue.get(jobId).orElseThrow().state()));
        return queue.get(jobId).orElseThrow();
    }

    private boolean audited(long jobId, String action) {
        for (AuditEvent event : audit.list("response_job", 0, 1_000).items()) {
            if (event.action().equals(action) && event.targetId().equals(String.valueOf(jobId))) {
                return true;
            }
        }
        return false;
    }

    private static Path effect(long jobId) {
        return Paths.get(System.getProperty("sluice.testing.dir"), jobId + ".done");
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }
}
