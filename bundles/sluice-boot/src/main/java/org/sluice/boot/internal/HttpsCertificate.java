package org.sluice.boot.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.boot.SecretBox;

/**
 * At first start, makes the self-signed certificate the HTTPS port serves until an admin replaces it: a new key pair
 * in {@code etc/sluice-https.p12} (owner-only), its random password stored encrypted in the web server's
 * configuration. Uses the JDK's own {@code keytool}, so no cryptography library is needed. The configuration is
 * updated before the key store is moved into place: a crash in between only means a new certificate at next start.
 */
final class HttpsCertificate {

    static final String WEB_PID = "org.ops4j.pax.web";
    /** Set by the file installer on every configuration it loaded from a file. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    static final String KEYSTORE_PASSWORD = "org.ops4j.pax.web.ssl.keystore.password";
    static final String KEY_PASSWORD = "org.ops4j.pax.web.ssl.key.password";

    private final Logger logger = LoggerFactory.getLogger(HttpsCertificate.class);

    private final Path keystore;
    private final SecretBox box;

    HttpsCertificate(Path keystore, SecretBox box) {
        this.keystore = keystore;
        this.box = box;
    }

    /**
     * Makes the certificate if there is none yet. The passwords go into the web server's configuration through Config
     * Admin, but only once the file installer has read {@code etc/org.ops4j.pax.web.cfg} into it: a configuration
     * created before that would be replaced by the file's content, passwords gone. The installer then writes the
     * update back to the file, encrypted as given. Waits at most {@code wait} for the installer.
     */
    void ensure(ConfigurationAdmin configAdmin, Duration wait) throws IOException, InterruptedException {
        if (Files.exists(keystore)) {
            return;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path staging = keystore.resolveSibling(keystore.getFileName() + ".new");
        Files.deleteIfExists(staging);
        generate(staging, password);
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-------"));

        Configuration web = configAdmin.getConfiguration(WEB_PID, "?");
        long deadline = System.nanoTime() + wait.toNanos();
        while (!loadedFromFile(web) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!loadedFromFile(web)) {
            logger.warn(
                    "The web server's configuration file was not loaded within {}; writing its passwords anyway", wait);
        }
        Dictionary<String, Object> properties = web.getProperties() == null ? new Hashtable<>() : web.getProperties();
        String encrypted = box.encrypt(password);
        properties.put(KEYSTORE_PASSWORD, encrypted);
        properties.put(KEY_PASSWORD, encrypted);
        web.update(properties);

        Files.move(staging, keystore, StandardCopyOption.ATOMIC_MOVE);
        logger.info(
                "Generated a self-signed HTTPS certificate in {}; replace it with your own for production", keystore);
    }

    private static boolean loadedFromFile(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        return properties != null && properties.get(FILE_PROPERTY) != null;
    }

    private void generate(Path target, String password) throws IOException, InterruptedException {
        String host = hostName();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "sluice",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-sigalg",
                        "SHA256withECDSA",
                        "-validity",
                        "825",
                        "-dname",
                        "CN=" + host + ", O=Sluice self-signed",
                        "-ext",
                        "SAN=dns:" + host + ",dns:localhost,ip:127.0.0.1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        target.toString(),
                        "-storepass:env",
                        "SLUICE_KEYSTORE_PASSWORD",
                        "-keypass:env",
                        "SLUICE_KEYSTORE_PASSWORD"))
                .redirectErrorStream(true);
        builder.environment().put("SLUICE_KEYSTORE_PASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool could not create the HTTPS key store: " + output.trim());
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.matches("[A-Za-z0-9.-]+") ? name : "localhost";
        } catch (IOException e) {
            return "localhost";
        }
    }
}
