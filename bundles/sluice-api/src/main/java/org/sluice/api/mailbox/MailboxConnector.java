package org.sluice.api.mailbox;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.response.ResponseOutcome;

/**
 * Access to users' mailboxes on one mail system (an IMAP server, an Exchange Online tenant, a Google Workspace
 * domain), provided by a connector plugin. Several configured instances of one connector type may be registered at
 * once, told apart by {@link #instanceId()}.
 *
 * <p><b>Safety.</b> Search values come from attackers. Implementations escape them for the provider's query language,
 * re-check every hit exactly against the {@link CopyQuery} before returning it, and return at most {@link
 * CopyQuery#maxCopies()} copies per mailbox.
 *
 * <p><b>Outcomes.</b> Methods that change a mailbox return a {@link ResponseOutcome}; throttling is reported as {@link
 * ResponseOutcome.Status#RETRYABLE} with the server's Retry-After, and an effect already in place as {@link
 * ResponseOutcome.Status#ALREADY_DONE}. Methods are called outside database transactions, from worker threads, under
 * a timeout enforced by the core.
 */
@ConsumerType
public interface MailboxConnector {

    /**
     * The provider status of a successful {@link #reinsert} whose detail cannot name the new copy (an IMAP server
     * without UIDPLUS); the core then records the copy as restored without an id.
     */
    String NO_PROVIDER_ID = "no-provider-id";

    /** The service property carrying the connector type name. */
    String TYPE_PROPERTY = "sluice.mailbox.type";

    /** The connector type ({@code imap}, {@code graph}, {@code gmail}). */
    String type();

    /** The configured instance this service speaks for. */
    String instanceId();

    /**
     * Finds the copies of a message in one mailbox. An empty list means none was found (yet).
     *
     * @throws MailboxException when the provider refused or throttled the search
     */
    List<MailboxCopy> findCopies(String mailbox, CopyQuery query) throws Exception;

    /**
     * Opens a copy's raw RFC 5322 bytes. The caller closes the stream.
     *
     * @throws MailboxException when the provider refused or throttled the read
     */
    InputStream openRaw(MailboxCopy copy) throws Exception;

    /** Takes a copy out of the user's reach. */
    ResponseOutcome remove(MailboxCopy copy) throws Exception;

    /**
     * Whether {@link #removeAll} takes several copies out in fewer round trips than one {@link #remove} each (Microsoft
     * Graph's {@code $batch}); the core then hands it all the copies of a mailbox at once.
     */
    default boolean removesInBulk() {
        return false;
    }

    /**
     * Takes several copies out of the users' reach, answering an outcome for every copy given. Connectors whose
     * provider does this in fewer round trips override it and {@link #removesInBulk}; by default the copies are removed
     * one by one.
     */
    default Map<MailboxCopy, ResponseOutcome> removeAll(List<MailboxCopy> copies) throws Exception {
        Map<MailboxCopy, ResponseOutcome> outcomes = new LinkedHashMap<>();
        for (MailboxCopy copy : copies) {
            outcomes.put(copy, remove(copy));
        }
        return outcomes;
    }

    /**
     * Puts a raw message back into a folder of a mailbox, returning the outcome; on success the detail carries the
     * new provider id of the copy (or the provider status is {@link #NO_PROVIDER_ID}). It always creates a new copy:
     * whether an earlier attempt put the copy back already is the core's question, since a folder may hold several
     * copies of one message.
     */
    ResponseOutcome reinsert(String mailbox, String folder, InputStream raw) throws Exception;
}
