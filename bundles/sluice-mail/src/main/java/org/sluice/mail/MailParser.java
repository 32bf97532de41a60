package org.sluice.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import org.sluice.mail.internal.Analyzer;
import org.sluice.mail.internal.MimeReader;

/**
 * Parses e-mail into a {@link ParsedMessage}. The format is recognised from the content: Outlook {@code .msg}
 * (Compound File Binary), TNEF ({@code winmail.dat}) or else an Internet message (MIME).
 *
 * <p>Parsing never fails on the content: malformed input, unknown charsets, broken structure and crossed
 * {@link ParseLimits} are recorded as {@link Finding}s in the returned model, never thrown. A parser holds no state
 * between calls and may be shared between threads. Parsing is CPU-bound and blocks the calling thread; the input is
 * held in memory up to {@link ParseLimits#maxBytes()}.
 */
public final class MailParser {

    private final ParseLimits limits;

    /** A parser with {@link ParseLimits#DEFAULTS}. */
    public MailParser() {
        this(ParseLimits.DEFAULTS);
    }

    public MailParser(ParseLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The limits this parser applies. */
    public ParseLimits limits() {
        return limits;
    }

    /** Parses a whole message held in memory. */
    public ParsedMessage parse(byte[] message) {
        Objects.requireNonNull(message, "message");
        return new Analyzer(limits).analyze(message);
    }

    /**
     * Reads the stream to its end (the caller closes it) and parses what it held. Only the first
     * {@link ParseLimits#maxBytes()} bytes are kept; the size and SHA-256 in the model then describe that prefix, and
     * a {@link FindingKind#SIZE_LIMIT} finding says so.
     *
     * @throws IOException when reading the stream fails (the content itself never causes an exception)
     */
    public ParsedMessage parse(InputStream message) throws IOException {
        Objects.requireNonNull(message, "message");
        byte[] head = message.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
        boolean more = head.length > limits.maxBytes();
        while (more && message.skip(1 << 20) > 0) {
            // drain the rest so the caller's stream ends where it expects
        }
        return parse(head);
    }

    /**
     * The content of one attachment of a MIME message, by its {@link Attachment#partPath()} in the model of that same
     * message: a nested message as its bytes (what its {@link Attachment#sha256()} was computed over), any other part
     * decoded from its transfer encoding. Only for attachments of the message itself, not of messages nested in it;
     * Outlook and TNEF containers have no part paths of this kind.
     *
     * @return the bytes, or empty when the message has no such part or cannot be read as MIME
     */
    public Optional<byte[]> partContent(byte[] message, String partPath) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(partPath, "partPath");
        return Optional.ofNullable(MimeReader.partContent(message, partPath));
    }
}
