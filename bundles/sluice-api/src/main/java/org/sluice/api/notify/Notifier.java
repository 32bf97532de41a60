package org.sluice.api.notify;

import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.response.ResponseOutcome;

/**
 * Delivers a rendered message (email over SMTP, a chat post). Provided by a plugin; the core calls it from the
 * response queue, so delivery gets the queue's retries and history.
 */
@ConsumerType
public interface Notifier {

    /** The service property carrying the notifier type name. */
    String TYPE_PROPERTY = "sluice.notifier.type";

    /** The notifier type ({@code smtp}). */
    String type();

    /**
     * Sends one message. The message's {@link OutgoingMessage#messageId()} is stable across attempts, so that the one
     * duplicate a crash can cause is recognisable.
     */
    ResponseOutcome send(OutgoingMessage message) throws Exception;
}
