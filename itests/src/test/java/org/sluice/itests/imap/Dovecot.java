package org.sluice.itests.imap;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import org.junit.Assume;

/**
 * A real Dovecot IMAP server started by the test itself: its own configuration in a temporary directory, plain IMAP
 * on a free 127.0.0.1 port (no TLS on loopback), users in a passwd file and one master user. Mail lives in Maildirs
 * under the same directory. Stopped with {@link #close()} or, failing that, when the JVM exits.
 */
public final class Dovecot implements AutoCloseable {

    /** Where Debian's dovecot-imapd puts the server binary. */
    public static final Path BINARY = Path.of("/usr/sbin/dovecot");

    public static final String MASTER_USER = "sluice-master";

    private final Path dir;
    private final int port;
    private final String masterPassword;
    private final Process process;

    private Dovecot(Path dir, int port, String masterPassword, Process process) {
        this.dir = dir;
        this.port = port;
        this.masterPassword = masterPassword;
        this.process = process;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Skips the calling test, loudly, on a machine without Dovecot. */
    public static void assumeInstalled() {
        Assume.assumeTrue(
                "SKIPPED LOUDLY: Dovecot is not installed (" + BINARY + "); scripts/ci-services installs it",
                installed());
    }

    /** Starts a server knowing {@code users} (password = user name reversed) and waits until it accepts connections. */
    public static Dovecot start(List<String> users, String masterPassword) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sluice-dovecot-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("run"));
        boolean root = "root".equals(System.getProperty("user.name"));
        String internalUser;
        String loginUser;
        int uid;
        int gid;
        if (root) {
            // Dovecot refuses mail access as root: mail belongs to nobody, its own daemons run as Debian's users.
            internalUser = "dovecot";
            loginUser = "dovenull";
            uid = 65534;
            gid = 65534;
            UserPrincipalLookupService lookup = mail.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(mail, lookup.lookupPrincipalByName("nobody"));
        } else {
            internalUser = System.getProperty("user.name");
            loginUser = internalUser;
            uid = (Integer) Files.getAttribute(mail, "unix:uid");
            gid = (Integer) Files.getAttribute(mail, "unix:gid");
        }
        int port = freePort();
        StringBuilder passwd = new StringBuilder();
        for (String user : users) {
            passwd.append(user)
                    .append(':')
                    .append(new StringBuilder(user).reverse())
                    .append('\n');
        }
        Files.writeString(dir.resolve("users.passwd"), passwd);
        Files.writeString(dir.resolve("master.passwd"), MASTER_USER + ":" + masterPassword + "\n");
        String config = String.join(
                "\n",
                "base_dir = " + dir.resolve("run"),
                "log_path = " + dir.resolve("dovecot.log"),
                "protocols = imap",
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",
                "auth_mechanisms = plain login",
                "auth_master_user_separator = *",
                "default_internal_user = " + internalUser,
                "default_login_user = " + loginUser,
                "first_valid_uid = 1",
                "mail_location = maildir:" + mail + "/%u",
                "service imap-login {",
                "  inet_listener imap {",
                "    address = 127.0.0.1",
                "    port = " + port,
                "  }",
                "  inet_listener imaps {",
                "    port = 0",
                "  }",
                "}",
                "passdb {",
                "  driver = passwd-file",
                "  args = scheme=PLAIN " + dir.resolve("master.passwd"),
                "  master = yes",
                "  pass = yes",
                "}",
                "passdb {",
                "  driver = passwd-file",
                "  args = scheme=PLAIN " + dir.resolve("users.passwd"),
                "}",
                "userdb {",
                "  driver = static",
                "  args = uid=" + uid + " gid=" + gid + " home=" + mail + "/%u",
                "}",
                "namespace inbox {",
                "  inbox = yes",
                "  separator = /",
                "  mailbox Sent {",
                "    special_use = \\Sent",
                "    auto = create",
                "  }",
                "  mailbox Archive {",
                "    auto = create",
                "  }",
                "}",
                "");
        Path conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, config);
        Process process = new ProcessBuilder(BINARY.toString(), "-F", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        Dovecot dovecot = new Dovecot(dir, port, masterPassword, process);
        Runtime.getRuntime().addShutdownHook(new Thread(dovecot::close));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return dovecot;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    dovecot.close();
                    throw new IOException(
                            "Dovecot did not start: " + Files.readString(dir.resolve("stdout.log")) + readLog(dir));
                }
                Thread.sleep(100);
            }
        }
    }

    /** A user's own password in the test server: the user name reversed. */
    public static String password(String user) {
        return new StringBuilder(user).reverse().toString();
    }

    private static String readLog(Path dir) {
        try {
            return Files.readString(dir.resolve("dovecot.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String masterPassword() {
        return masterPassword;
    }

    /**
     * The configuration of an {@code org.sluice.connector.imap} instance that reaches every mailbox of this server
     * through the master user, over plain IMAP on loopback.
     *
     * @param encryptedMasterPassword the master password as the container's encryption service wrote it (ENC(...))
     */
    public Hashtable<String, Object> masterConnector(String instance, String encryptedMasterPassword) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("instance", instance);
        properties.put("host", "127.0.0.1");
        properties.put("port", port);
        properties.put("security", "none");
        properties.put("auth", "master");
        properties.put("admin.user", MASTER_USER);
        properties.put("admin.password", encryptedMasterPassword);
        return properties;
    }

    /** A session as {@code user}, through the master user. */
    public MiniImap as(String user) throws IOException {
        return new MiniImap(port, user + "*" + MASTER_USER, masterPassword);
    }

    /** Stops the server and deletes its directory (configuration, logs, mail). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }

    public Path directory() {
        return dir;
    }
}
