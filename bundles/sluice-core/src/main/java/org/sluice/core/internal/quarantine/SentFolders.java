package org.sluice.core.internal.quarantine;

import java.util.Locale;
import java.util.Set;

/**
 * Recognises a sender's Sent folder by its name, the last segment of the folder path as the connector reports it
 * (IMAP {@code Sent}, {@code INBOX.Sent}, Exchange {@code Sent Items}, Gmail {@code [Gmail]/Sent Mail} or the {@code
 * SENT} label). A folder named otherwise is not recognised; connectors report special-use folders by these names.
 */
final class SentFolders {

    private static final Set<String> NAMES =
            Set.of("sent", "sent items", "sent messages", "sent mail", "sentitems", "sent-mail");

    private SentFolders() {}

    static boolean isSent(String folder) {
        if (folder == null) {
            return false;
        }
        String name = folder.strip().toLowerCase(Locale.ROOT);
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('.'));
        String last = cut < 0 ? name : name.substring(cut + 1);
        return NAMES.contains(last) || NAMES.contains(name);
    }
}
