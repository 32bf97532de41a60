package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Test;
import org.sluice.itests.harness.Poll;
import org.sluice.itests.harness.SluiceProcess;

/**
 * A node dies with responses in flight and starts again: no job is lost, none is done twice, and jobs whose node died
 * are taken over once their lease expires. Plain JUnit driving the external-process harness; the test-only response
 * type {@code testing} is dropped into {@code deploy/} and driven through its shell commands.
 */
public class ResponseQueueCrashIT {

    private static final int JOBS = 40;
    private static final int LEASE_SECONDS = 4;

    private SluiceProcess server;

    @After
    public void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void killedServerLosesNoJobAndRepeatsNoEffect() throws Exception {
        String db = System.getProperty("sluice.itest.db", "h2");
        server = SluiceProcess.unpack("crash-" + db);
        Path effects = server.home().resolve("effects");
        if (db.equals("postgresql")) {
            server.usePostgres(
                    SluiceTestSupport.createPostgresDatabase(),
                    System.getProperty("sluice.itest.pg.user"),
                    System.getProperty("sluice.itest.pg.password"));
        }
        server.set("etc/org.sluice.queue.cfg", "workerThreads", "4")
                .set("etc/org.sluice.queue.cfg", "pollIntervalMillis", "200")
                .set("etc/org.sluice.queue.cfg", "leaseSeconds", String.valueOf(LEASE_SECONDS))
                .set("etc/org.sluice.queue.cfg", "callTimeoutSeconds", "3")
                .systemProperty("sluice.testing.dir", effects.toString())
                .deploy(testingBundle());
        server.start();
        server.awaitHealthy(Duration.ofMinutes(2));
        awaitShell(Duration.ofSeconds(60));

        String enqueued = server.shell("sluice-testing:enqueue --count " + JOBS + " --sleep-ms 1000");
        Set<Long> ids = new HashSet<>();
        for (String line : enqueued.split("\\R")) {
            if (line.startsWith("enqueued\t")) {
                ids.add(Long.parseLong(line.substring("enqueued\t".length()).strip()));
            }
        }
        assertEquals(enqueued, JOBS, ids.size());

        Poll.until(Duration.ofSeconds(60), () -> effectCount(effects) >= 8);
        long firstPid = server.pid();
        server.kill();
        int doneAtKill = effectCount(effects);
        assertTrue("the kill came too late to leave work: " + doneAtKill, doneAtKill < JOBS);

        server.start();
        assertTrue("a new process", server.pid() != firstPid);
        server.awaitHealthy(Duration.ofMinutes(2));
        awaitShell(Duration.ofSeconds(60));
        Poll.until(Duration.ofMinutes(2), () -> jobs().values().stream().allMatch(j -> j.state.equals("SUCCEEDED")));

        Map<Long, Job> jobs = jobs();
        assertEquals("every queued job is known, none lost", ids, jobs.keySet());
        Map<Long, Integer> created = new HashMap<>();
        int raced = 0;
        for (String line : Files.readAllLines(effects.resolve("calls.log"))) {
            String[] fields = line.split("\t");
            if (fields[3].equals("created")) {
                created.merge(Long.parseLong(fields[0]), 1, Integer::sum);
            } else if (fields[3].equals("raced")) {
                raced++;
            }
        }
        assertEquals("no two attempts of one job ever ran at the same time", 0, raced);
        int reclaimed = 0;
        Set<String> nodes = new HashSet<>();
        for (Job job : jobs.values()) {
            assertTrue("effect of job " + job.id, Files.exists(effects.resolve(job.id + ".done")));
            assertTrue("job " + job.id + " acted at most once", created.getOrDefault(job.id, 0) <= 1);
            List<String> successes = job.attempts.stream()
                    .map(a -> a[4])
                    .filter(s -> s.equals("DONE") || s.equals("ALREADY_DONE"))
                    .toList();
            assertEquals("job " + job.id + " succeeded once: " + job.attempts, 1, successes.size());
            job.attempts.forEach(a -> nodes.add(a[3]));
            assertEquals(
                    "every attempt of job " + job.id + " is recorded",
                    job.attemptCount,
                    job.attempts.stream().map(a -> a[2]).distinct().count());
            // The attempt of the killed node is recorded as taken over when another claim takes the job.
            boolean lostAttempt = job.attempts.stream().anyMatch(a -> a[4].equals("RETRYABLE"));
            boolean alreadyDone = successes.contains("ALREADY_DONE");
            if (lostAttempt || alreadyDone) {
                reclaimed++;
            }
        }
        try (Stream<Path> files = Files.list(effects)) {
            assertEquals(
                    "one effect file per job, no other",
                    JOBS,
                    files.filter(p -> p.toString().endsWith(".done")).count());
        }
        assertTrue("at least one job was taken over after its node died", reclaimed >= 1);
        assertTrue("attempts were recorded by both processes: " + nodes, nodes.size() >= 2);
    }

    /** A job as the {@code sluice-testing:jobs} command prints it, with its attempts' fields. */
    private record Job(long id, String state, int attemptCount, List<String[]> attempts) {}

    private Map<Long, Job> jobs() throws IOException, InterruptedException {
        String output = server.shell("sluice-testing:jobs");
        Map<Long, Job> jobs = new TreeMap<>();
        boolean complete = false;
        for (String raw : output.split("\\R")) {
            String[] fields = raw.strip().split("\t");
            switch (fields[0]) {
                case "job" -> {
                    long id = Long.parseLong(fields[1]);
                    jobs.put(id, new Job(id, fields[2], Integer.parseInt(fields[3]), new ArrayList<>()));
                }
                case "attempt" -> jobs.get(Long.parseLong(fields[1])).attempts.add(fields);
                case "end" -> complete = true;
                default -> {}
            }
        }
        if (!complete) {
            throw new IllegalStateException("incomplete job listing: " + output);
        }
        return jobs;
    }

    private void awaitShell(Duration timeout) throws Exception {
        Poll.until(timeout, () -> server.shell("sluice-testing:jobs").contains("end\t"));
    }

    private static int effectCount(Path effects) throws IOException {
        if (!Files.isDirectory(effects)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(effects)) {
            return (int) files.filter(p -> p.toString().endsWith(".done")).count();
        }
    }

    private static Path testingBundle() throws IOException {
        String version = System.getProperty("sluice.version", "0.1.0-SNAPSHOT");
        String file = "sluice-response-testing-" + version + ".jar";
        String repository = System.getProperty(
                "org.ops4j.pax.url.mvn.localRepository", System.getProperty("user.home") + "/.m2/repository");
        for (Path candidate : List.of(
                Paths.get(repository, "org", "sluice", "sluice-response-testing", version, file),
                Paths.get("..", "itests-plugins", "sluice-response-testing", "target", file))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IOException("no " + file + " in " + repository + "; build the module first");
    }
}
