package org.sluice.api.mail;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The messages Sluice knows, the mailboxes they reached and their copies there. Implemented by the core.
 *
 * <p>A message's identity is its normalised Message-ID ({@link MessageIds}) when it has a usable one, otherwise its
 * content fingerprint. Registering the same identity again returns the message already known, across threads and
 * nodes. Copies are what responses act on; each keeps its own folder, provider id and state.
 */
@ProviderType
public interface MessageRegistry {

    /** Registers a message, or returns the one with the same identity. */
    MessageRecord register(NewMessage message);

    Optional<MessageRecord> message(long id);

    /** Registers a mailbox by address (lower-cased), or returns the known one. */
    MailboxRecord mailbox(String address, String primaryAddress, FoundBy foundBy);

    /** Records a copy of a message in a mailbox, or returns the known copy with the same provider id. */
    CopyRecord copy(
            long messageId, long mailboxId, String connector, String folder, String providerId, FoundBy foundBy);

    /** Records a copy's new state, and its new folder and provider id (which can change on a move). */
    CopyRecord updateCopy(long copyId, CopyState state, String folder, String providerId);

    List<CopyRecord> copies(long messageId);

    /** How a mailbox or a copy was found. */
    enum FoundBy {
        ORIGINAL_RECIPIENT,
        DISTRIBUTION_LIST,
        ALIAS,
        FORWARDED,
        SEARCH,
        REPORTER
    }

    /** Where a copy is. */
    enum CopyState {
        DELIVERED,
        QUARANTINED,
        RESTORED,
        NOT_FOUND,
        DELETED_BY_USER
    }

    /**
     * A message to register. Either {@code rawMessageId} must be usable or {@code fingerprint} set.
     *
     * @param rawMessageId the Message-ID header as found, or {@code null}
     * @param fingerprint a hash of the message's stable content, or {@code null}
     * @param rawSha256 the stored raw bytes ({@link RawMailStore}), or {@code null}
     */
    record NewMessage(
            String rawMessageId, String fingerprint, String sender, String subject, Instant sentAt, String rawSha256) {}

    /** A known message. {@code messageId} is normalised, or {@code null} when the identity is the fingerprint. */
    record MessageRecord(
            long id,
            String messageId,
            String fingerprint,
            String sender,
            String subject,
            Instant sentAt,
            String rawSha256,
            Instant createdAt) {}

    record MailboxRecord(long id, String address, String primaryAddress, FoundBy foundBy) {}

    record CopyRecord(
            long id,
            long messageId,
            long mailboxId,
            String connector,
            String folder,
            String providerId,
            CopyState state,
            FoundBy foundBy,
            Instant updatedAt) {}
}
