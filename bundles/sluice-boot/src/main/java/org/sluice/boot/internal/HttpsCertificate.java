package org.sluice.boot.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.boot.SecretBox;

/**
 * At first start, makes the self-signed certificate the HTTPS port serves until an admin replaces it: a new key pair
 * in {@code etc/sluice-https.p12} (owner-only), its random password stored encrypted in the web server's
 * configuration. Uses the JDK's own {@code keytool}, so no cryptography library is needed. The configuration is
 * written before the key store is moved into place: a crash in between only means a new certificate at next start.
 */
final class HttpsCertificate {

    static final String KEYSTORE_PASSWORD = "org.ops4j.pax.web.ssl.keystore.password";
    static final String KEY_PASSWORD = "org.ops4j.pax.web.ssl.key.password";

    private final Logger logger = LoggerFactory.getLogger(HttpsCertificate.class);

    private final Path keystore;
    private final Path webConfig;
    private final SecretBox box;

    HttpsCertificate(Path keystore, Path webConfig, SecretBox box) {
        this.keystore = keystore;
        this.webConfig = webConfig;
        this.box = box;
    }

    void ensure() throws IOException, InterruptedException {
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

        String encrypted = box.encrypt(password);
        writePasswords(Map.of(KEYSTORE_PASSWORD, encrypted, KEY_PASSWORD, encrypted));

        Files.move(staging, keystore, StandardCopyOption.ATOMIC_MOVE);
        logger.info(
                "Generated a self-signed HTTPS certificate in {}; replace it with your own for production", keystore);
    }

    /**
     * Sets the password lines in the web server's configuration file, keeping every other line. The file, not Config
     * Admin, is written: at this start level the file installer may not have read the file yet, and a configuration
     * created here would then be replaced by the file's content, passwords gone. The installer picks the change up
     * whichever way round it happens. Written to a sibling and moved, so the installer never reads half a file.
     */
    private void writePasswords(Map<String, String> values) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.exists(webConfig)) {
            for (String line : Files.readAllLines(webConfig, StandardCharsets.ISO_8859_1)) {
                String key = line.strip().split("\\s*[=:]", 2)[0];
                if (!values.containsKey(key)) {
                    lines.add(line);
                }
            }
        }
        lines.add("");
        lines.add("# Written by Sluice at first start: the password of the generated etc/sluice-https.p12, encrypted.");
        values.forEach((key, value) -> lines.add(key + " = " + value));
        Path staging = webConfig.resolveSibling(webConfig.getFileName() + ".new");
        Files.write(staging, lines, StandardCharsets.ISO_8859_1);
        Files.move(staging, webConfig, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
