package org.sluice.boot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.boot.SecretBox;

/**
 * Runs in the framework's startup stage, after Config Admin and before the web server: registers the {@link
 * SecretBox} and the plugin that decrypts configuration, then makes sure the HTTPS certificate exists. A plain
 * activator, because Declarative Services is not running yet at this start level.
 */
public class BootActivator implements BundleActivator {

    private final Logger logger = LoggerFactory.getLogger(BootActivator.class);

    private ServiceRegistration<?> boxRegistration;
    private ServiceRegistration<?> pluginRegistration;

    @Override
    public void start(BundleContext context) throws Exception {
        Path data = Path.of(System.getProperty("karaf.data", "data"));
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        AesSecretBox box = AesSecretBox.fromKeyFile(data.resolve("sluice").resolve("secret.key"));
        ownerOnly(data.resolve("sluice"));

        boxRegistration = context.registerService(SecretBox.class, box, new Hashtable<>());
        Hashtable<String, Object> pluginProperties = new Hashtable<>();
        pluginProperties.put(ConfigurationPlugin.CM_RANKING, 100);
        pluginRegistration = context.registerService(
                ConfigurationPlugin.class, new DecryptingConfigurationPlugin(box), pluginProperties);

        // Before the web server starts (it starts after this bundle): it must find the certificate and its password.
        ensureCertificate(context, new HttpsCertificate(etc.resolve("sluice-https.p12"), box));
    }

    private void ensureCertificate(BundleContext context, HttpsCertificate certificate) {
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        if (reference == null) {
            logger.error("Config Admin is not running; the HTTPS certificate was not checked");
            return;
        }
        try {
            certificate.ensure(context.getService(reference), Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            logger.error("The HTTPS certificate could not be generated; HTTPS will not start: {}", e.getMessage());
        } finally {
            try {
                context.ungetService(reference);
            } catch (IllegalStateException e) {
                // the bundle stopped meanwhile
            }
        }
    }

    /**
     * Keeps Sluice's data directory (embedded database, secret key, raw mail spool, first-start password) readable by
     * the server's user only, whatever the umask gave the files in it.
     */
    private void ownerOnly(Path directory) {
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            logger.warn("Could not restrict {} to the server's user: {}", directory, e.getMessage());
        }
    }

    @Override
    public void stop(BundleContext context) {
        if (pluginRegistration != null) {
            pluginRegistration.unregister();
        }
        if (boxRegistration != null) {
            boxRegistration.unregister();
        }
    }
}
