package org.sluice.itests.mail;

import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.icegreen.greenmail.util.GreenMail;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.ops4j.pax.exam.Option;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A GreenMail server inside a Pax Exam container, for tests that read the mail Sluice sends: the bundles it needs, the
 * free port it listens on (system property {@value #PORT_PROPERTY}), starting it, and pointing Sluice's SMTP notifier
 * at it. The server is meant to live as long as the container: Pax Exam runs class-level hooks around every method.
 */
public final class MailServer {

    /** The system property of the container that holds the port chosen for the server. */
    public static final String PORT_PROPERTY = "sluice.itest.smtp.port";

    private MailServer() {}

    /** The container options: GreenMail and the mail API it runs on, and a free port for it. */
    public static List<Option> options() {
        return List.of(
                mavenBundle("jakarta.activation", "jakarta.activation-api", "2.1.3"),
                mavenBundle("org.eclipse.angus", "angus-activation", "2.0.2"),
                mavenBundle("jakarta.mail", "jakarta.mail-api", "2.1.3"),
                mavenBundle("org.eclipse.angus", "jakarta.mail", "2.0.5"),
                mavenBundle("com.icegreen", "greenmail", "2.1.13"),
                systemProperty(PORT_PROPERTY).value(String.valueOf(freePort())));
    }

    /** The port chosen by {@link #options()}, read inside the container. */
    public static int port() {
        return Integer.parseInt(System.getProperty(PORT_PROPERTY));
    }

    /**
     * Starts {@code server}. GreenMail loads its TLS key store and mail providers through the context class loader,
     * which must be its own bundle's inside OSGi.
     */
    public static GreenMail start(GreenMail server) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(GreenMail.class.getClassLoader());
        try {
            server.start();
        } finally {
            thread.setContextClassLoader(previous);
        }
        return server;
    }

    /** Points the SMTP notifier at plain SMTP on loopback {@code port}, with the given From. */
    public static void configurePlainNotifier(ConfigurationAdmin configs, int port, String from) throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("host", "127.0.0.1");
        properties.put("port", port);
        properties.put("security", "none");
        properties.put("from", from);
        configs.getConfiguration("org.sluice.notify.smtp", "?").update(properties);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port", e);
        }
    }
}
