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
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.boot.SecretBox;

/**
 * Boots the real Sluice distribution for a Pax Exam test class: its own ports, a non-UTC time zone, and either the
 * embedded H2 database or a fresh PostgreSQL database ({@code -Dsluice.itest.db=postgresql}).
 */
public abstract class SluiceTestSupport {

    /** Options computed in the driver JVM and read back inside the container through system properties. */
    protected static Option[] distribution() {
        String db = System.getProperty("sluice.itest.db", "h2");
        int httpsPort = freePort();
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.sluice", "sluice")
                                .type("tar.gz")
                                .version(System.getProperty("sluice.version")))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole(),
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
                        "etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", String.valueOf(httpsPort)),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
                editConfigurationFilePut(
                        "etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort())),
                editConfigurationFilePut(
                        "etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort())),
                systemProperty("sluice.itest.https.port").value(String.valueOf(httpsPort)),
                systemProperty("sluice.itest.db").value(db),
                // Services may take longer than Pax Exam's default 10 s to appear on a busy machine.
                systemProperty("pax.exam.service.timeout").value("90000"),
                systemProperty("sluice.itest.corpus")
                        .value(Path.of(System.getProperty("sluice.itest.corpus", "../../shared/corpus"))
                                .toAbsolutePath()
                                .normalize()
                                .toString())));
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

    private static volatile boolean apiUp;

    /** Waits, once per container, until the API answers: the web server starts after the test probe may. */
    @Before
    public void awaitApi() throws Exception {
        if (!apiUp) {
            await(Duration.ofSeconds(120), () -> {
                if (http("GET", "/sluice/api/v1/health", null).status() != 200) {
                    throw new AssertionError("the API is not up yet");
                }
            });
            apiUp = true;
        }
    }

    /** The base URL of the running container's HTTPS service, as seen from inside it. */
    protected static String baseUrl() {
        return "https://127.0.0.1:" + System.getProperty("sluice.itest.https.port");
    }

    /** The admin password the first start generated, read where the server said it wrote it. */
    protected static String adminPassword() throws IOException {
        Path file = Path.of(System.getProperty("karaf.data"), "sluice", "initial-admin-password");
        return Files.readString(file).trim();
    }

    /** An {@code Authorization} header value for HTTP Basic. */
    protected static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Trusts the server's self-signed certificate by pinning it: the certificate in the server's own key store, read
     * inside the container with the password from the web server's configuration, decrypted by the server's {@link
     * SecretBox}.
     */
    protected static SSLContext pinnedContext() throws IOException {
        BundleContext bundles = FrameworkUtil.getBundle(SluiceTestSupport.class).getBundleContext();
        SecretBox box = bundles.getService(bundles.getServiceReference(SecretBox.class));
        ConfigurationAdmin configs = bundles.getService(bundles.getServiceReference(ConfigurationAdmin.class));
        String password = box.decrypt((String) configs.getConfiguration("org.ops4j.pax.web", "?")
                .getProperties()
                .get("org.ops4j.pax.web.ssl.keystore.password"));
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("karaf.etc"), "sluice-https.p12"))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            KeyStore server = KeyStore.getInstance("PKCS12");
            server.load(in, password.toCharArray());
            trust.setCertificateEntry("sluice", server.getCertificate("sluice"));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("the server's certificate cannot be read: " + e.getMessage(), e);
        }
    }

    /** A finished HTTP exchange. */
    protected record HttpResult(int status, String body, String contentType) {}

    protected static HttpResult http(String method, String path, String body, String... headers) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) new URL(baseUrl() + path).openConnection();
        connection.setSSLSocketFactory(pinnedContext().getSocketFactory());
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            connection.setRequestProperty(headers[i], headers[i + 1]);
        }
        if (body != null) {
            connection.setDoOutput(true);
            if (connection.getRequestProperty("Content-Type") == null) {
                connection.setRequestProperty("Content-Type", "application/json");
            }
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
