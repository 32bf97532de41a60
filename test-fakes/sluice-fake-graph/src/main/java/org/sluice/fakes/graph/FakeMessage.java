package org.sluice.fakes.graph;

import java.time.Instant;

/**
 * A message in a fake mailbox. Its immutable id never changes; its regular id changes on every move, as Exchange's
 * does. The MIME bytes are kept exactly as delivered or created.
 */
public final class FakeMessage {

    final String immutableId;
    volatile String regularId;
    volatile String folderId;
    final byte[] mime;
    final String internetMessageId;
    final String subject;
    final String from;
    final Instant received;
    final boolean draft;
    volatile boolean read;

    FakeMessage(
            String immutableId,
            String regularId,
            String folderId,
            byte[] mime,
            String internetMessageId,
            String subject,
            String from,
            Instant received,
            boolean draft) {
        this.immutableId = immutableId;
        this.regularId = regularId;
        this.folderId = folderId;
        this.mime = mime;
        this.internetMessageId = internetMessageId;
        this.subject = subject;
        this.from = from;
        this.received = received;
        this.draft = draft;
    }

    public String immutableId() {
        return immutableId;
    }

    public String regularId() {
        return regularId;
    }

    public String folderId() {
        return folderId;
    }

    public byte[] mime() {
        return mime.clone();
    }

    public String internetMessageId() {
        return internetMessageId;
    }

    public String subject() {
        return subject;
    }

    public Instant received() {
        return received;
    }

    /** Whether the user has read the message (Graph's {@code isRead}). */
    public boolean read() {
        return read;
    }
}
