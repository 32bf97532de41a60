package org.sluice.core.internal.quarantine;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.sluice.api.incident.Alert;
import org.sluice.api.mail.MessageIds;

/**
 * What to search for in each mailbox for one alert: its email's Message-ID when it has a usable one, otherwise its
 * sender and subject within a window around the delivery time (from one hour before to a day after, since forwarded
 * copies arrive later). A source that knows better bounds gives them as {@code email.received_after} and {@code
 * email.received_before} (ISO-8601 instants): a user report forwarded inline, for one, was received before it was
 * reported, and its Date line is only what the sender claims. A pure function of the alert.
 */
final class Targets {

    static final Duration BEFORE = Duration.ofHours(1);
    static final Duration AFTER = Duration.ofDays(1);

    private Targets() {}

    /** The job parameters that identify the alert's message, or empty when the alert names no message. */
    static Optional<Map<String, String>> of(Alert alert) {
        if (!(alert.data() != null && alert.data().get("email") instanceof Map<?, ?> email)) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        String rawId =
                text(email.get("message_id")) != null ? text(email.get("message_id")) : text(email.get("messageId"));
        Optional<String> messageId = rawId == null ? Optional.empty() : MessageIds.normalize(rawId);
        String sender = email.get("sender") instanceof Map<?, ?> m ? text(m.get("email")) : text(email.get("sender"));
        sender = sender == null ? null : Recipients.address(sender);
        if (sender != null) {
            out.put(QuarantineParams.SENDER, sender);
        }
        if (messageId.isPresent()) {
            out.put(QuarantineParams.MESSAGE_ID, messageId.get());
            return Optional.of(out);
        }
        String subject = text(email.get("subject"));
        if (sender == null || subject == null) {
            return Optional.empty();
        }
        Instant delivered = time(text(email.get("delivery_time")));
        Instant around =
                delivered != null ? delivered : alert.occurredAt() != null ? alert.occurredAt() : alert.receivedAt();
        Instant from = time(text(email.get("received_after")));
        Instant to = time(text(email.get("received_before")));
        if (from == null || to == null || from.isAfter(to)) {
            from = around.minus(BEFORE);
            to = around.plus(AFTER);
        }
        out.put(QuarantineParams.SUBJECT, subject);
        out.put(QuarantineParams.RECEIVED_FROM, from.toString());
        out.put(QuarantineParams.RECEIVED_TO, to.toString());
        return Optional.of(out);
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}
