package org.sluice.api.mailbox;

/**
 * One copy of a message in one mailbox, as the connector sees it.
 *
 * @param mailbox the mailbox's primary address
 * @param folder the folder the copy is in (provider's id or path)
 * @param providerId the provider's id of the copy; it may change when the copy is moved
 * @param internetMessageId the copy's Message-ID as found, or {@code null}
 * @param read whether the user had read the copy when it was found ({@code \Seen}, Graph's {@code isRead}, Gmail's
 *     missing {@code UNREAD} label), or {@code null} when the provider did not say
 */
public record MailboxCopy(String mailbox, String folder, String providerId, String internetMessageId, Boolean read) {

    /** A copy whose read state is not known. */
    public MailboxCopy(String mailbox, String folder, String providerId, String internetMessageId) {
        this(mailbox, folder, providerId, internetMessageId, null);
    }
}
