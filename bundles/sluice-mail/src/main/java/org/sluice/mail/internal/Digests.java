package org.sluice.mail.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of attachment and message content. */
final class Digests {

    private Digests() {}

    static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    static String md5(byte[] bytes) {
        return hex("MD5", bytes);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }
}
