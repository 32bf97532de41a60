package org.sluice.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * Boots the real Sluice distribution for a Pax Exam test class: its own ports, a non-UTC time zone, and either the
 * embedded H2 database or a fresh PostgreSQL database ({@code -Dsluice.itest.db=postgresql}).
 */
public abstract class SluiceTestSupport {

    /** Options computed in the driver JVM and read back inside the container through system properties. */
    protected static Option[] distribution() {
        String db = System.getProperty("sluice.itest.db", "h2");
        int httpPort = freePort();
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.sluice", "sluice")
                                .type("tar.gz")
                                .version(System.getProperty("sluice.version")))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                vmOption("-Duser.timezone=" + System.getProperty("sluice.itest.timezone", "Asia/Kolkata")),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
                // Features that are not booted (test-only plugins) resolve from the build's local repository.
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty(
                                "org.ops4j.pax.url.mvn.localRepository",
                                System.getProperty("user.home") + "/.m2/repository")),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort)),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
                editConfigurationFilePut(
                        "etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort())),
                editConfigurationFilePut(
                        "etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort())),
                systemProperty("sluice.itest.http.port").value(String.valueOf(httpPort)),
                systemProperty("sluice.itest.db").value(db)));
        if (db.equals("postgresql")) {
            String url = createPostgresDatabase();
            options.add(editConfigurationFilePut(
                    "etc/org.ops4j.datasource-sluice.cfg", "osgi.jdbc.driver.name", "PostgreSQL JDBC Driver"));
            options.add(editConfigurationFilePut("etc/org.ops4j.datasource-sluice.cfg", "url", url));
            options.add(editConfigurationFilePut(
                    "etc/org.ops4j.datasource-sluice.cfg", "user", System.getProperty("sluice.itest.pg.user")));
            options.add(editConfigurationFilePut(
                    "etc/org.ops4j.datasource-sluice.cfg", "password", System.getProperty("sluice.itest.pg.password")));
        }
        return options.toArray(new Option[0]);
    }

    /** Creates an empty database for one test class and returns its JDBC URL. */
    static String createPostgresDatabase() {
        String base = System.getProperty("sluice.itest.pg.url");
        String name =
                "sluice_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(
                        base,
                        System.getProperty("sluice.itest.pg.user"),
                        System.getProperty("sluice.itest.pg.password"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name.toLowerCase(Locale.ROOT));
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + base + " is needed for -Dsluice.itest.db=postgresql "
                            + "(scripts/test starts one): " + e.getMessage(),
                    e);
        }
        return base.substring(0, base.lastIndexOf('/') + 1) + name;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port", e);
        }
    }

    /** The base URL of the running container's HTTP service, as seen from inside it. */
    protected static String baseUrl() {
        return "http://127.0.0.1:" + System.getProperty("sluice.itest.http.port");
    }

    /** A finished HTTP exchange. */
    protected record HttpResult(int status, String body, String contentType) {}

    protected static HttpResult http(String method, String path, String body, String... headers) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(baseUrl() + path).openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            connection.setRequestProperty(headers[i], headers[i + 1]);
        }
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        return new HttpResult(status, text, connection.getContentType());
    }

    /** Polls {@code check} until it passes or {@code timeout} runs out, then rethrows its last failure. */
    protected static void await(Duration timeout, ThrowingRunnable check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** A check that may throw. */
    @FunctionalInterface
    protected interface ThrowingRunnable {
        void run() throws Exception;
    }
}
