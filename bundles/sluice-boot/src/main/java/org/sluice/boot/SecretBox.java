package org.sluice.boot;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypts secrets for configuration files. An encrypted value reads {@code ENC(<base64>)}; every configuration
 * delivered through Config Admin has such values decrypted before its consumer sees it, so consumers (the web server,
 * the data source, plugins) never handle the encrypted form, and files under {@code etc/} never hold the plain one.
 *
 * <p>The key is {@code data/sluice/secret.key}, created at first start and readable by the server's user only. Nodes
 * that share configuration must share that file. Losing it makes the encrypted values unreadable.
 */
@ProviderType
public interface SecretBox {

    /** Encrypts {@code plain} into the {@code ENC(...)} form. */
    String encrypt(String plain);

    /**
     * Decrypts an {@code ENC(...)} value; other values are returned unchanged.
     *
     * @throws IllegalArgumentException when the value is encrypted but cannot be decrypted with this key
     */
    String decrypt(String value);

    /** Whether {@code value} is in the {@code ENC(...)} form. */
    static boolean isEncrypted(String value) {
        return value != null && value.startsWith("ENC(") && value.endsWith(")");
    }
}
