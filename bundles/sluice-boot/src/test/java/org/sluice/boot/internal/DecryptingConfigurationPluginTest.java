package org.sluice.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecryptingConfigurationPluginTest {

    @TempDir
    Path dir;

    @Test
    void encryptedValuesAreDeliveredPlainAndOthersUntouched() throws Exception {
        AesSecretBox box = AesSecretBox.fromKeyFile(dir.resolve("secret.key"));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("service.pid", "org.ops4j.datasource.abc");
        properties.put("password", box.encrypt("db-secret"));
        properties.put("url", "jdbc:postgresql://127.0.0.1/sluice");
        properties.put("pool.size", 20);

        new DecryptingConfigurationPlugin(box).modifyConfiguration(null, properties);

        assertEquals("db-secret", properties.get("password"));
        assertEquals("jdbc:postgresql://127.0.0.1/sluice", properties.get("url"));
        assertEquals(20, properties.get("pool.size"));
    }

    @Test
    void valueEncryptedWithAnotherKeyIsLeftEncrypted() throws Exception {
        String foreign = AesSecretBox.fromKeyFile(dir.resolve("other.key")).encrypt("x");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("password", foreign);

        new DecryptingConfigurationPlugin(AesSecretBox.fromKeyFile(dir.resolve("secret.key")))
                .modifyConfiguration(null, properties);

        assertEquals(foreign, properties.get("password"));
    }
}
