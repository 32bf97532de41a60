package org.sluice.boot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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

        try {
            new HttpsCertificate(etc.resolve("sluice-https.p12"), etc.resolve("org.ops4j.pax.web.cfg"), box).ensure();
        } catch (Exception e) {
            logger.error("The HTTPS certificate could not be generated; HTTPS will not start: {}", e.getMessage());
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
