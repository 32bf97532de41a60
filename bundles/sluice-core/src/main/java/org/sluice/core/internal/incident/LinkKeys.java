package org.sluice.core.internal.incident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Link keys are compared by their SHA-256, which keeps the unique index small whatever the key's length. */
final class LinkKeys {

    /** The longest link key kept; longer ones are rejected rather than silently cut, which could merge incidents. */
    static final int MAX_LENGTH = 1_000;

    private LinkKeys() {}

    static String hash(String linkKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(linkKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
