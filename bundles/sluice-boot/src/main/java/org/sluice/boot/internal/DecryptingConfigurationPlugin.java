package org.sluice.boot.internal;

import java.util.Collections;
import java.util.Dictionary;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.boot.SecretBox;

/**
 * Replaces {@code ENC(...)} values with their plain form in every configuration that Config Admin delivers, so that
 * encrypted secrets in {@code etc/} work for any consumer. A value that cannot be decrypted is left as it is and
 * reported once per delivery, naming the configuration and key but never the value.
 */
final class DecryptingConfigurationPlugin implements ConfigurationPlugin {

    private final Logger logger = LoggerFactory.getLogger(DecryptingConfigurationPlugin.class);

    private final SecretBox box;

    DecryptingConfigurationPlugin(SecretBox box) {
        this.box = box;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        for (String key : Collections.list(properties.keys())) {
            if (properties.get(key) instanceof String value && SecretBox.isEncrypted(value)) {
                try {
                    properties.put(key, box.decrypt(value));
                } catch (IllegalArgumentException e) {
                    logger.error(
                            "Configuration '{}': value of '{}' not decrypted: {}",
                            properties.get("service.pid"),
                            key,
                            e.getMessage());
                }
            }
        }
    }
}
