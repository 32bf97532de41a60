package org.sluice.api.notify;

import java.util.List;

/**
 * A rendered notification. Header values never contain CR or LF; {@code html} may be {@code null}.
 *
 * @param messageId the stable Message-ID, without brackets
 */
public record OutgoingMessage(
        String messageId, String from, List<String> to, String subject, String text, String html) {

    public OutgoingMessage {
        to = List.copyOf(to);
    }
}
