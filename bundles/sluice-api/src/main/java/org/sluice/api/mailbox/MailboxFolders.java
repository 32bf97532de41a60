package org.sluice.api.mailbox;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.response.ResponseOutcome;

/**
 * Optional folder access of a {@link MailboxConnector}: listing the messages of one folder and moving a copy between
 * folders, as an alert source that works through an abuse mailbox needs. A connector that offers it implements this
 * interface on the same object it registers as {@link MailboxConnector}; callers test with {@code instanceof} and treat
 * a connector without it as unable to serve such a source. Added in package version 0.3.0 as a separate interface so
 * that connectors built against 0.2 keep working unchanged.
 *
 * <p>Like the other connector methods, these are called from worker threads outside database transactions, and
 * failures are reported as {@link MailboxException} (listing) or as a failed {@link ResponseOutcome} (moving).
 */
@ConsumerType
public interface MailboxFolders {

    /**
     * The messages in one folder of a mailbox, oldest first, at most {@code max} of them. Each copy's provider id is
     * stable while the copy stays in that folder (for IMAP: the folder's UIDVALIDITY and the message's UID), so that
     * {@link MailboxConnector#openRaw} and {@link #move} reach exactly the listed message or report it gone.
     *
     * @throws MailboxException when the mailbox or folder cannot be reached ({@link ResponseOutcome.Status#NOT_FOUND}
     *     for a folder that does not exist)
     */
    List<MailboxCopy> list(String mailbox, String folder, int max) throws Exception;

    /**
     * Moves a copy into another folder of the same mailbox, creating that folder when missing. A copy that is no longer
     * in its folder gives {@link ResponseOutcome.Status#ALREADY_DONE} when it can be told that it was moved away, or
     * {@link ResponseOutcome.Status#NOT_FOUND} otherwise. The move is atomic where the provider allows it; where it is
     * not, a crash can leave the copy in both folders, never in neither.
     */
    ResponseOutcome move(MailboxCopy copy, String targetFolder) throws Exception;
}
