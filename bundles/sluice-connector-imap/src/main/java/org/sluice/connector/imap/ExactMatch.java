package org.sluice.connector.imap;

import java.time.Instant;
import java.util.Locale;
import org.sluice.api.mail.MessageIds;
import org.sluice.api.mailbox.CopyQuery;

/**
 * The exact re-check of every IMAP search hit. IMAP {@code SEARCH HEADER}, {@code FROM} and {@code SUBJECT} match
 * substrings, case-insensitively; a hit is acted on only when its own values equal the query's: the normalised
 * Message-ID exactly, or the sender address (case-insensitive), the decoded subject exactly and the received time
 * inside the window. A pure function.
 */
final class ExactMatch {

    private ExactMatch() {}

    /**
     * Whether a message with these values is exactly what {@code query} asks for.
     *
     * @param messageIds the message's Message-ID header values (a message may carry several), or {@code null}
     * @param fromAddresses the addresses of its From header, or {@code null}
     * @param subject its decoded subject, or {@code null}
     * @param received its received (internal) date, or {@code null}
     */
    static boolean matches(
            CopyQuery query, String[] messageIds, String[] fromAddresses, String subject, Instant received) {
        if (query.internetMessageId() != null) {
            if (messageIds == null || messageIds.length != 1) {
                return false;
            }
            return MessageIds.normalize(messageIds[0])
                    .map(id -> id.equals(query.internetMessageId()))
                    .orElse(false);
        }
        if (query.sender() == null || query.subject() == null) {
            return false;
        }
        boolean fromMatches = false;
        if (fromAddresses != null) {
            for (String address : fromAddresses) {
                if (address != null
                        && address.strip()
                                .toLowerCase(Locale.ROOT)
                                .equals(query.sender().toLowerCase(Locale.ROOT))) {
                    fromMatches = true;
                }
            }
        }
        if (!fromMatches || !query.subject().equals(subject)) {
            return false;
        }
        if (received == null) {
            return query.receivedFrom() == null && query.receivedTo() == null;
        }
        return (query.receivedFrom() == null || !received.isBefore(query.receivedFrom()))
                && (query.receivedTo() == null || !received.isAfter(query.receivedTo()));
    }

    /** The provider id of a copy: {@code <UIDVALIDITY>:<UID>}, valid within its folder. */
    static String providerId(long uidValidity, long uid) {
        return uidValidity + ":" + uid;
    }

    /**
     * The UIDVALIDITY and UID of a provider id.
     *
     * @throws IllegalArgumentException when it is not of the form {@code <digits>:<digits>}
     */
    static long[] parseProviderId(String providerId) {
        int colon = providerId == null ? -1 : providerId.indexOf(':');
        try {
            if (colon < 1) {
                throw new NumberFormatException();
            }
            return new long[] {
                Long.parseLong(providerId.substring(0, colon)), Long.parseLong(providerId.substring(colon + 1))
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + providerId + "' is not an IMAP copy id (uidvalidity:uid)");
        }
    }
}
