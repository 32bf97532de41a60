package org.sluice.itests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs the unpacked Sluice distribution as an external process that a test can SIGKILL and start again on the same
 * directory, for crash tests.
 *
 * <p>{@link #unpack} extracts the distribution tar.gz (from the build's local repository, else from
 * {@code karaf-assembly/target}) into {@code itests/target/harness/<name>} and gives it its own free ports, bound to
 * 127.0.0.1 where Karaf lets us, no remote Maven repositories, and a test shell user with a random password. {@link
 * #start} runs {@code bin/karaf server} with {@code -Duser.timezone=Asia/Kolkata}; since {@code bin/karaf} does not
 * exec java, the java process is found among its descendants. {@link #kill} SIGKILLs that java process and its
 * parents. Every started process is also killed by a shutdown hook, and by {@link #close}.
 *
 * <p>How the server is reached over HTTP (scheme, port, TLS trust) is decided only in {@link Web}, so that a switch
 * to HTTPS changes one place.
 */
public final class SluiceProcess implements AutoCloseable {

    private static final Set<SluiceProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(SluiceProcess::kill), "sluice-harness"));
    }

    private static final String USER = "itest";
    private static final String DATASOURCE = "etc/org.ops4j.datasource-sluice.cfg";

    private final String name;
    private final Path home;
    private final Path console;
    private final String password;
    private final int sshPort;
    private final Web web;
    private final Map<String, String> systemProperties = new LinkedHashMap<>();

    private Process script;
    private ProcessHandle java;

    private SluiceProcess(String name, Path home, Path console) {
        this.name = name;
        this.home = home;
        this.console = console;
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        this.password = HexFormat.of().formatHex(secret);
        this.sshPort = freePort();
        this.web = new Web(freePort());
        systemProperties.put("user.timezone", System.getProperty("sluice.itest.timezone", "Asia/Kolkata"));
    }

    /** Unpacks a fresh copy of the distribution under {@code target/harness/<name>}, replacing an older one. */
    public static SluiceProcess unpack(String name) throws IOException, InterruptedException {
        Path root = Paths.get("target", "harness").toAbsolutePath();
        Path home = root.resolve(name);
        deleteTree(home);
        Path staging = root.resolve(name + ".unpack");
        deleteTree(staging);
        Files.createDirectories(staging);
        run(List.of("tar", "xzf", distribution().toString(), "-C", staging.toString()), Duration.ofMinutes(2));
        try (Stream<Path> unpacked = Files.list(staging)) {
            Path top = unpacked.findFirst().orElseThrow(() -> new IOException("the distribution archive is empty"));
            Files.move(top, home);
        }
        deleteTree(staging);

        SluiceProcess process = new SluiceProcess(name, home, root.resolve(name + "-console.log"));
        process.web.configure(process);
        process.set("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(process.sshPort));
        process.set("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort()));
        process.set("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort()));
        process.set("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", "");
        Files.writeString(
                home.resolve("etc/users.properties"),
                "\n" + USER + " = " + process.password + ",admin,manager,viewer,systembundles,ssh\n",
                StandardOpenOption.APPEND);
        return process;
    }

    /** The distribution archive: from the build's local Maven repository, else from the assembly module. */
    private static Path distribution() throws IOException {
        String version = System.getProperty("sluice.version", "0.1.0-SNAPSHOT");
        String file = "sluice-" + version + ".tar.gz";
        String repository = System.getProperty(
                "org.ops4j.pax.url.mvn.localRepository", System.getProperty("user.home") + "/.m2/repository");
        for (Path candidate : List.of(
                Paths.get(repository, "org", "sluice", "sluice", version, file),
                Paths.get("..", "karaf-assembly", "target", file))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IOException("no " + file + " in " + repository + " or karaf-assembly/target; build it first");
    }

    public String name() {
        return name;
    }

    public Path home() {
        return home;
    }

    /** The HTTPS port this process serves on. */
    public int httpsPort() {
        return web.port;
    }

    /** The SSH port of this process's Karaf shell. */
    public int sshPort() {
        return sshPort;
    }

    /** The console output of this process and its earlier runs. */
    public String console() throws IOException {
        return Files.exists(console) ? Files.readString(console) : "";
    }

    /** Sets {@code key} in the properties file {@code etc/...} (created if missing), replacing an active line. */
    public SluiceProcess set(String file, String key, String value) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = Files.exists(path) ? new ArrayList<>(Files.readAllLines(path)) : new ArrayList<>();
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("#") && line.matches("\\Q" + key + "\\E\\s*[=:].*")) {
                lines.set(i, key + " = " + value);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }
        Files.write(path, lines);
        return this;
    }

    /** Points the Sluice data source at a PostgreSQL database instead of the embedded H2. */
    public SluiceProcess usePostgres(String url, String user, String dbPassword) throws IOException {
        set(DATASOURCE, "osgi.jdbc.driver.name", "PostgreSQL JDBC Driver");
        set(DATASOURCE, "url", url);
        set(DATASOURCE, "user", user);
        set(DATASOURCE, "password", dbPassword);
        return this;
    }

    /** Copies a bundle into {@code deploy/}, where Karaf installs and starts it. */
    public SluiceProcess deploy(Path bundle) throws IOException {
        Files.copy(bundle, home.resolve("deploy").resolve(bundle.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    /** A system property for the server JVM, passed through {@code EXTRA_JAVA_OPTS}; takes effect at next start. */
    public SluiceProcess systemProperty(String key, String value) {
        systemProperties.put(key, value);
        return this;
    }

    /**
     * Arms crash points for the next start (see {@code org.sluice.api.fault.CrashPoints}): {@code spec} is a
     * comma-separated list of {@code name} or {@code name@n}. Pass {@code null} to start unarmed again. Files that
     * announced points reached in an earlier run are removed.
     */
    public SluiceProcess crashPoints(String spec) throws IOException {
        Path dir = crashPointDir();
        deleteTree(dir);
        if (spec == null) {
            systemProperties.remove("sluice.crashpoints");
            systemProperties.remove("sluice.crashpoints.dir");
        } else {
            Files.createDirectories(dir);
            systemProperties.put("sluice.crashpoints", spec);
            systemProperties.put("sluice.crashpoints.dir", dir.toString());
        }
        return this;
    }

    /**
     * Waits until a thread of the server has stopped at the named crash point, or fails with the end of the console
     * log when the server dies or the time runs out.
     */
    public void awaitCrashPoint(String point, Duration timeout) throws InterruptedException {
        Path reached = crashPointDir().resolve(point + ".reached");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(reached)) {
            if (java == null || !java.isAlive()) {
                throw new IllegalStateException(
                        "instance " + name + " died before crash point " + point + "\n" + consoleTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance " + name + " did not reach crash point " + point + " within "
                        + timeout + "\n" + consoleTail());
            }
            Thread.sleep(50);
        }
    }

    private Path crashPointDir() {
        return home.resolve("crashpoints");
    }

    /** Starts {@code bin/karaf server} and finds its java process; does not wait for the server to be up. */
    public synchronized void start() throws IOException, InterruptedException {
        if (java != null && java.isAlive()) {
            throw new IllegalStateException("instance " + name + " is already running");
        }
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        StringBuilder options = new StringBuilder();
        systemProperties.forEach((key, value) ->
                options.append("-D").append(key).append('=').append(value).append(' '));
        builder.environment().put("EXTRA_JAVA_OPTS", options.toString().strip());
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        script = builder.start();
        LIVE.add(this);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (java == null || !java.isAlive()) {
            Optional<ProcessHandle> found = script.toHandle()
                    .descendants()
                    // bin/karaf also runs short-lived java processes (version checks): look for Karaf's main class.
                    .filter(handle -> handle.info()
                            .commandLine()
                            .map(line -> line.contains("org.apache.karaf.main.Main"))
                            .orElse(false))
                    .findFirst();
            if (found.isPresent()) {
                java = found.get();
                break;
            }
            if (!script.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "instance " + name + " started no java process; see " + console + "\n" + consoleTail());
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the health endpoint answers 200, or fails with the end of the console log. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (java == null || !java.isAlive()) {
                throw new IllegalStateException("instance " + name + " died while starting\n" + consoleTail());
            }
            if (web.status("/sluice/api/v1/health") == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("instance " + name + " not healthy within " + timeout + "\n" + consoleTail());
    }

    /** SIGKILLs the server's java process and then its parent scripts, and waits until they are gone. */
    public synchronized void kill() {
        List<ProcessHandle> victims = new ArrayList<>();
        if (java != null) {
            victims.add(java);
            java.parent().ifPresent(victims::add);
        }
        if (script != null) {
            victims.add(script.toHandle());
            script.toHandle().descendants().forEach(victims::add);
        }
        for (ProcessHandle victim : victims) {
            victim.destroyForcibly();
        }
        for (ProcessHandle victim : victims) {
            try {
                victim.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + victim.pid() + " of " + name + " did not die", e);
            }
        }
        java = null;
        script = null;
        LIVE.remove(this);
    }

    public boolean isRunning() {
        return java != null && java.isAlive();
    }

    /** The java process id, for tests that check what they killed. */
    public long pid() {
        return java.pid();
    }

    /**
     * Runs shell commands through {@code bin/client} in batch mode (commands on stdin) as the harness's own user, and
     * returns what they printed.
     */
    public String shell(String commands) throws IOException, InterruptedException {
        Path clientHome = home.resolve("data/harness-client");
        Files.createDirectories(clientHome);
        ProcessBuilder builder = new ProcessBuilder(
                        home.resolve("bin/client").toString(),
                        "-h",
                        "127.0.0.1",
                        "-a",
                        String.valueOf(sshPort),
                        "-u",
                        USER,
                        "-p",
                        password,
                        "-b")
                .directory(home.toFile())
                .redirectErrorStream(true);
        // Anything the client keeps in its home stays in this instance's directory.
        builder.environment().put("JAVA_OPTS", "-Duser.home=" + clientHome);
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        client.getOutputStream().write((commands.strip() + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(60, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new IllegalStateException("bin/client did not finish: " + output);
        }
        if (client.exitValue() != 0) {
            throw new IllegalStateException("bin/client exited with " + client.exitValue() + ": " + output);
        }
        return output;
    }

    /** The last lines of the server's console output, for failure messages. */
    public String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(console);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }

    /**
     * Everything about reaching the server over HTTP: which port, which scheme, how a status is fetched. The only place
     * to change when the distribution moves to HTTPS.
     */
    /**
     * The HTTPS endpoint of the process. The harness talks only to the process it started, on loopback, and accepts
     * its self-signed first-start certificate without checking it; the Pax Exam tests pin that certificate instead.
     */
    private static final class Web {
        private final int port;

        Web(int port) {
            this.port = port;
        }

        void configure(SluiceProcess process) throws IOException {
            process.set("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", String.valueOf(port));
            process.set("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1");
        }

        String baseUrl() {
            return "https://127.0.0.1:" + port;
        }

        /** The HTTP status of a GET, or -1 when nothing answers. */
        int status(String path) {
            try {
                HttpsURLConnection connection = (HttpsURLConnection) new URL(baseUrl() + path).openConnection();
                connection.setSSLSocketFactory(TRUST_OWN_PROCESS.getSocketFactory());
                connection.setHostnameVerifier((host, session) -> "127.0.0.1".equals(host));
                connection.setConnectTimeout(2_000);
                connection.setReadTimeout(5_000);
                try {
                    return connection.getResponseCode();
                } finally {
                    connection.disconnect();
                }
            } catch (IOException e) {
                return -1;
            }
        }

        private static final SSLContext TRUST_OWN_PROCESS = trustAnyCertificate();

        private static SSLContext trustAnyCertificate() {
            X509TrustManager any = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {any}, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS is missing from this JVM", e);
            }
        }
    }

    /** A TCP port free on this machine just now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    private static void run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
