package org.sluice.boot.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sluice.boot.SecretBox;

/** AES-256-GCM with a random 96-bit nonce per value; the stored form is Base64 of nonce followed by ciphertext. */
final class AesSecretBox implements SecretBox {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    AesSecretBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the secret key must be " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Reads the key file, creating it (owner-only permissions) when it does not exist yet. */
    static AesSecretBox fromKeyFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(file, Base64.getEncoder().encode(fresh), StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // Another process created it between the check and here; use theirs.
            }
        }
        byte[] encoded = Files.readAllBytes(file);
        return new AesSecretBox(Base64.getDecoder().decode(new String(encoded, StandardCharsets.US_ASCII).trim()));
    }

    @Override
    public String encrypt(String plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out =
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
            return "ENC(" + Base64.getEncoder().encodeToString(out.array()) + ")";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JVM", e);
        }
    }

    @Override
    public String decrypt(String value) {
        if (!SecretBox.isEncrypted(value)) {
            return value;
        }
        try {
            byte[] all = Base64.getDecoder()
                    .decode(value.substring(4, value.length() - 1).trim());
            if (all.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("the encrypted value is too short to be one");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException | ProviderException e) {
            throw new IllegalArgumentException(
                    "an ENC(...) value cannot be decrypted with this server's secret key (was it encrypted by another"
                            + " installation?)");
        }
    }
}
