package org.sluice.api.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An alert as a source hands it to the core.
 *
 * @param sourceType the type name of the alert source ({@code json}, {@code tap}, {@code manual})
 * @param sourceInstance the configured instance of that source, or {@code null} for a single-instance source
 * @param externalId the source's own id for the alert, used to recognise a re-delivered alert; may be {@code null}
 * @param linkKey what ties alerts about the same thing together (a message id, a sender, a target); alerts with the
 *     same key join the same open incident. {@code null} always opens a new incident.
 * @param severity the severity the source assigns
 * @param summary one line for lists; attacker-controlled text is allowed and is treated as data
 * @param description longer text, may be {@code null}
 * @param occurredAt when the source saw the event; {@code null} means now
 * @param data the source's full structured payload (JSON-compatible values), kept with the alert
 * @param messageIds the Internet Message-IDs of the messages the alert is about, as found (normalised by the core);
 *     they make incidents findable by Message-ID
 */
public record NewAlert(
        String sourceType,
        String sourceInstance,
        String externalId,
        String linkKey,
        Severity severity,
        String summary,
        String description,
        Instant occurredAt,
        Map<String, Object> data,
        List<String> messageIds) {

    public NewAlert {
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(severity, "severity");
        // NUL is the one character some databases cannot store in text (PostgreSQL refuses it); attackers and broken
        // sources send it. It is shown as the replacement character instead.
        summary = summary == null ? "" : withoutNul(summary);
        description = description == null ? null : withoutNul(description);
        linkKey = linkKey == null ? null : withoutNul(linkKey);
        externalId = externalId == null ? null : withoutNul(externalId);
        data = data == null ? Map.of() : data;
        messageIds = messageIds == null ? List.of() : List.copyOf(messageIds);
    }

    private static String withoutNul(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    /** An alert about no particular message. */
    public NewAlert(
            String sourceType,
            String sourceInstance,
            String externalId,
            String linkKey,
            Severity severity,
            String summary,
            String description,
            Instant occurredAt,
            Map<String, Object> data) {
        this(
                sourceType,
                sourceInstance,
                externalId,
                linkKey,
                severity,
                summary,
                description,
                occurredAt,
                data,
                List.of());
    }
}
