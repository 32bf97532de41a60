package org.sluice.api.mail;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Raw messages (reported mail, quarantined copies), stored once per SHA-256 of their bytes in the database, so every
 * node can read them. Storing and reading stream: no message is held whole in memory, whatever its size.
 *
 * <p>What is stored is live, attacker-made content. Faces serve it only as a download ({@code Content-Disposition:
 * attachment}, {@code X-Content-Type-Options: nosniff}), never inline.
 */
@ProviderType
public interface RawMailStore {

    /**
     * Stores the bytes read from {@code raw} (which the caller closes) unless the same bytes are stored already.
     * Concurrent stores of the same bytes store them once.
     */
    StoredMail store(InputStream raw) throws IOException;

    Optional<StoredMail> find(String sha256);

    /**
     * Opens the stored bytes for reading; the caller closes the stream.
     *
     * @throws org.sluice.api.error.NotFoundException when nothing is stored under that hash
     */
    InputStream open(String sha256) throws IOException;

    /**
     * A stored message.
     *
     * @param sha256 lower-case hexadecimal SHA-256 of the bytes
     * @param size the number of bytes
     * @param storedAt when the bytes were first stored
     */
    record StoredMail(String sha256, long size, Instant storedAt) {}
}
