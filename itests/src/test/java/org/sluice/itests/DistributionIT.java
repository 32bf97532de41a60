package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.junit.After;
import org.junit.Test;
import org.sluice.itests.harness.SluiceProcess;

/**
 * The distribution as an admin runs it, as a process: its shipped bind addresses, its first start (credentials,
 * certificate) and a restart that keeps both.
 */
public class DistributionIT {

    private SluiceProcess server;

    @After
    public void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void firstStartGeneratesCredentialsAndCertificateOnceAndOnlyHttpsListensBeyondLoopback() throws Exception {
        server = SluiceProcess.unpack("distribution");
        // The harness serves on loopback by default; here the shipped "every address" is what is tested.
        server.set("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "0.0.0.0");
        int registry = Integer.parseInt(value("etc/org.apache.karaf.management.cfg", "rmiRegistryPort"));
        int rmiServer = Integer.parseInt(value("etc/org.apache.karaf.management.cfg", "rmiServerPort"));

        server.start();
        server.awaitHealthy(Duration.ofMinutes(2));

        Path passwordFile = server.home().resolve("data/sluice/initial-admin-password");
        Path keystore = server.home().resolve("etc/sluice-https.p12");
        assertTrue(Files.exists(passwordFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(server.home().resolve("data/sluice"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(server.home().resolve("etc/users.properties"))));
        assertTrue(server.console().contains("its password is in " + passwordFile.toAbsolutePath()));
        String password = Files.readString(passwordFile).strip();
        assertFalse(server.console().contains(password));
        byte[] certificate = Files.readAllBytes(keystore);

        Optional<InetAddress> external = externalAddress();
        assertTrue("SSH on loopback", connects(InetAddress.getLoopbackAddress(), server.sshPort()));
        assertFalse("plain HTTP is off", connects(InetAddress.getLoopbackAddress(), 8181));
        if (external.isPresent()) {
            assertFalse("SSH on " + external.get(), connects(external.get(), server.sshPort()));
            assertFalse("JMX registry on " + external.get(), connects(external.get(), registry));
            assertFalse("JMX server on " + external.get(), connects(external.get(), rmiServer));
            assertTrue("HTTPS on " + external.get(), connects(external.get(), server.httpsPort()));
        } else {
            System.err.println("SKIPPED LOUDLY: no non-loopback IPv4 address; bind addresses checked on loopback only");
        }

        server.kill();
        server.start();
        server.awaitHealthy(Duration.ofMinutes(2));

        assertEquals(password, Files.readString(passwordFile).strip());
        assertTrue("the certificate is kept", java.util.Arrays.equals(certificate, Files.readAllBytes(keystore)));
    }

    private String value(String file, String key) throws IOException {
        for (String line : Files.readAllLines(server.home().resolve(file))) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("#") && trimmed.matches("\\Q" + key + "\\E\\s*=.*")) {
                return trimmed.substring(trimmed.indexOf('=') + 1).strip();
            }
        }
        throw new IllegalStateException(key + " is not set in " + file);
    }

    private static Optional<InetAddress> externalAddress() throws IOException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
