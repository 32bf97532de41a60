package org.sluice.api.fault;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steps in the server where crash tests stop a thread so that they can kill the process exactly there.
 *
 * <p>Code that does work whose loss or repetition a crash could cause calls {@link #reach(String)} at the step in
 * question (after a job was claimed, after a provider answered but before its outcome was recorded, ...). Unless the
 * JVM was started with the system property {@value #ARM_PROPERTY}, this is a single read of a final field and does
 * nothing.
 *
 * <p>A crash test starts the server with {@code -Dsluice.crashpoints=name@n,...} and {@code
 * -Dsluice.crashpoints.dir=<dir>}. The {@code n}th thread to reach {@code name} (the first when {@code @n} is left out)
 * writes the process id into {@code <dir>/<name>.reached} and then blocks for good; the test waits for the file and
 * sends SIGKILL. Other threads carry on meanwhile, as they would in a real crash.
 */
public final class CrashPoints {

    /** The system property that arms crash points: a comma-separated list of {@code name} or {@code name@n}. */
    public static final String ARM_PROPERTY = "sluice.crashpoints";

    /** The system property naming the folder that receives a {@code <name>.reached} file for each point reached. */
    public static final String DIR_PROPERTY = "sluice.crashpoints.dir";

    private static final System.Logger LOG = System.getLogger(CrashPoints.class.getName());
    private static final Map<String, Integer> ARMED = parse(System.getProperty(ARM_PROPERTY, ""));
    private static final Map<String, AtomicInteger> COUNTS = new HashMap<>();

    static {
        ARMED.keySet().forEach(name -> COUNTS.put(name, new AtomicInteger()));
        if (!ARMED.isEmpty()) {
            LOG.log(
                    Level.WARNING,
                    "Crash points armed for a crash test: {0}; this server will stop when one is reached",
                    ARMED);
        }
    }

    private CrashPoints() {}

    /** Whether any crash point is armed in this JVM. */
    public static boolean armed() {
        return !ARMED.isEmpty();
    }

    /**
     * Marks that the calling thread has reached the named step. Returns at once unless the point is armed and this is
     * its chosen occurrence; then the thread never returns.
     */
    public static void reach(String name) {
        if (ARMED.isEmpty()) {
            return;
        }
        Integer wanted = ARMED.get(name);
        if (wanted == null || COUNTS.get(name).incrementAndGet() != wanted) {
            return;
        }
        LOG.log(
                Level.WARNING,
                "Crash point {0} reached (occurrence {1}); this thread now waits to be killed",
                name,
                wanted);
        announce(name);
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // A crash test kills the process; until then this thread must not go on, not even when interrupted.
            }
        }
    }

    private static void announce(String name) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path folder = Paths.get(dir);
            Files.createDirectories(folder);
            Path partial = folder.resolve(name + ".reached.part");
            Files.write(partial, String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII));
            Files.move(partial, folder.resolve(name + ".reached"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "Could not announce crash point " + name + " in " + dir, e);
        }
    }

    static Map<String, Integer> parse(String spec) {
        Map<String, Integer> armed = new HashMap<>();
        for (String item : spec.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int at = entry.indexOf('@');
            String name = at < 0 ? entry : entry.substring(0, at).strip();
            int occurrence = 1;
            if (at >= 0) {
                try {
                    occurrence = Integer.parseInt(entry.substring(at + 1).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            ARM_PROPERTY + ": '" + entry + "' is not name@occurrence with a whole number", e);
                }
                if (occurrence < 1) {
                    throw new IllegalArgumentException(
                            ARM_PROPERTY + ": occurrence in '" + entry + "' must be 1 or more");
                }
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException(ARM_PROPERTY + ": '" + entry + "' has no crash point name");
            }
            armed.put(name, occurrence);
        }
        return Collections.unmodifiableMap(armed);
    }
}
