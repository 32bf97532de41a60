package org.sluice.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.boot.SecretBox;

class AesSecretBoxTest {

    @TempDir
    Path dir;

    @Test
    void encryptedValueDecryptsAndHidesThePlainText() throws Exception {
        AesSecretBox box = AesSecretBox.fromKeyFile(dir.resolve("secret.key"));

        String sealed = box.encrypt("hunter2-but-longer");

        assertTrue(SecretBox.isEncrypted(sealed));
        assertFalse(sealed.contains("hunter2"));
        assertNotEquals(sealed, box.encrypt("hunter2-but-longer"), "each encryption uses a fresh nonce");
        assertEquals("hunter2-but-longer", box.decrypt(sealed));
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReusedByLaterStarts() throws Exception {
        Path key = dir.resolve("nested").resolve("secret.key");
        String sealed = AesSecretBox.fromKeyFile(key).encrypt("value");

        AesSecretBox again = AesSecretBox.fromKeyFile(key);

        assertEquals("value", again.decrypt(sealed));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void valueFromAnotherKeyOrTamperedIsRejectedWithoutLeakingIt() throws Exception {
        String sealed = AesSecretBox.fromKeyFile(dir.resolve("a.key")).encrypt("secret-value");
        AesSecretBox other = AesSecretBox.fromKeyFile(dir.resolve("b.key"));

        IllegalArgumentException wrongKey = assertThrows(IllegalArgumentException.class, () -> other.decrypt(sealed));
        assertThrows(IllegalArgumentException.class, () -> other.decrypt("ENC(bm90IGEgcmVhbCB2YWx1ZQ==)"));

        assertFalse(wrongKey.getMessage().contains("secret-value"));
    }

    @Test
    void plainValuesPassThrough() throws Exception {
        AesSecretBox box = AesSecretBox.fromKeyFile(dir.resolve("secret.key"));

        assertEquals("plain", box.decrypt("plain"));
        assertEquals(null, box.decrypt(null));
    }
}
