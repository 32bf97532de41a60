package org.sluice.api.mailbox;

import java.time.Instant;

/**
 * What identifies the copies to find. Either {@code internetMessageId} is set, or sender, subject and a time window
 * are (for messages forwarded inline, which carry no Message-ID of their own).
 *
 * @param internetMessageId the normalised Message-ID without brackets, or {@code null}
 * @param sender the envelope or header sender, or {@code null}
 * @param subject the exact decoded subject, or {@code null}
 * @param receivedFrom start of the time window, or {@code null}
 * @param receivedTo end of the time window, or {@code null}
 * @param maxCopies the most copies one search may return for one mailbox
 */
public record CopyQuery(
        String internetMessageId,
        String sender,
        String subject,
        Instant receivedFrom,
        Instant receivedTo,
        int maxCopies) {}
