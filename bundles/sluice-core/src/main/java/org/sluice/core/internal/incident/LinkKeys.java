package org.sluice.core.internal.incident;

import org.sluice.core.internal.Hashes;

/** Link keys are compared by their SHA-256, which keeps the unique index small whatever the key's length. */
final class LinkKeys {

    /** The longest link key kept; longer ones are rejected rather than silently cut, which could merge incidents. */
    static final int MAX_LENGTH = 1_000;

    private LinkKeys() {}

    static String hash(String linkKey) {
        return Hashes.sha256Hex(linkKey);
    }
}
