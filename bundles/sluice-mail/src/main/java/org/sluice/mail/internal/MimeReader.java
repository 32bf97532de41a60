package org.sluice.mail.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.ByteSequence;
import org.sluice.mail.FindingKind;
import org.sluice.mail.MessageFormat;
import org.sluice.mail.ParsedMessage;

/**
 * Reads MIME messages with Apache James mime4j (lenient mode, its own limits off: ours are applied here, where
 * crossing one is recorded instead of thrown). Headers come from mime4j's raw field bytes and are decoded by this
 * package, so that split encoded words, raw 8-bit text and RFC 2231 parameters are handled as documented in
 * {@link HeaderText} and {@link MimeParams}. Multipart nesting is walked to {@link #MAX_MULTIPART_DEPTH}.
 *
 * <p>Limits: uuencoded content inside a text part is left as text; {@code message/partial} fragments are not
 * reassembled (each is kept as an attachment).
 */
public final class MimeReader {

    /** Deeper multipart nesting than any real client produces; beyond it parts are not walked. */
    static final int MAX_MULTIPART_DEPTH = 64;

    private final Analyzer analyzer;
    private final Analysis analysis;

    MimeReader(Analyzer analyzer) {
        this.analyzer = analyzer;
        this.analysis = analyzer.analysis();
    }

    ParsedMessage read(byte[] input, int depth) {
        byte[] bytes = stripBom(input);
        MessageBuilder b = new MessageBuilder(MessageFormat.MIME, input, analysis);
        Message message;
        try {
            message = parse(bytes);
        } catch (IOException | MimeException | RuntimeException e) {
            b.finding(
                    FindingKind.PARSE_ERROR,
                    "",
                    "MIME parsing failed: " + e.getClass().getSimpleName());
            readHeadersOnly(bytes, b);
            return b.build();
        }
        read(message, depth, b);
        return b.build();
    }

    /** Reads an already parsed message (a message/rfc822 part) into a model of its own. */
    ParsedMessage read(Message message, byte[] bytes, int depth) {
        MessageBuilder b = new MessageBuilder(MessageFormat.MIME, bytes, analysis);
        read(message, depth, b);
        return b.build();
    }

    private void read(Message message, int depth, MessageBuilder b) {
        try {
            Headers.apply(rawHeaders(message, b), b, analysis);
            walk(message, "", 0, depth, b);
        } catch (RuntimeException | StackOverflowError e) {
            b.finding(
                    FindingKind.PARSE_ERROR,
                    "",
                    "reading the message stopped: " + e.getClass().getSimpleName());
        }
    }

    /** After a failed parse: the header block alone, so that at least sender and subject are known. */
    private void readHeadersOnly(byte[] bytes, MessageBuilder b) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        int lf = text.indexOf("\n\n");
        end = end < 0 ? lf : (lf < 0 ? end : Math.min(end, lf));
        if (end <= 0) {
            return;
        }
        byte[] head = Arrays.copyOf(bytes, end + 2);
        try {
            Headers.apply(rawHeaders(parse(head), b), b, analysis);
        } catch (IOException | MimeException | RuntimeException e) {
            // nothing more can be read; the PARSE_ERROR finding stands
        }
    }

    static Message parse(byte[] bytes) throws IOException, MimeException {
        MimeConfig config = MimeConfig.custom()
                .setMaxLineLen(-1)
                .setMaxHeaderLen(-1)
                .setMaxHeaderCount(-1)
                .setMaxContentLen(-1)
                // mime4j throws when it crosses one of these, losing the whole message; ours are applied while
                // walking the tree instead, where crossing one is recorded. The input size is already bounded.
                .setMaxNestingDepth(100_000)
                .setMaxPartCount(10_000_000)
                .setMaxTotalHeaderCount(10_000_000)
                .setMaxTotalHeaderLen(Long.MAX_VALUE)
                .setStrictParsing(false)
                .build();
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(config);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        builder.setContentDecoding(true);
        return builder.parseMessage(new ByteArrayInputStream(bytes));
    }

    /**
     * The content of one part of a MIME message, found by its part path as the model gives it
     * ({@link org.sluice.mail.Attachment#partPath()}): a nested message as its bytes, a single part decoded from its
     * transfer encoding. {@code null} when the message cannot be parsed or has no such part.
     */
    public static byte[] partContent(byte[] input, String partPath) {
        Message message;
        try {
            message = parse(stripBom(input));
        } catch (IOException | MimeException | RuntimeException e) {
            return null;
        }
        Entity entity = message;
        if (!(message.getBody() instanceof Multipart) && !partPath.equals("1")) {
            return null;
        }
        if (message.getBody() instanceof Multipart) {
            for (String step : partPath.split("\\.")) {
                int index;
                try {
                    index = Integer.parseInt(step) - 1;
                } catch (NumberFormatException e) {
                    return null;
                }
                if (!(entity.getBody() instanceof Multipart multipart)
                        || index < 0
                        || index >= multipart.getBodyParts().size()) {
                    return null;
                }
                entity = multipart.getBodyParts().get(index);
            }
        }
        Body body = entity.getBody();
        if (body instanceof Message nested) {
            return write(nested);
        }
        if (body instanceof SingleBody single) {
            try (InputStream in = single.getInputStream()) {
                return in.readAllBytes();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** The header fields of an entity from their raw bytes, 8-bit text read as UTF-8 or a fallback charset. */
    private List<Headers.RawHeader> rawHeaders(Entity entity, MessageBuilder b) {
        List<Headers.RawHeader> out = new ArrayList<>();
        if (entity.getHeader() == null) {
            return out;
        }
        boolean reported = false;
        for (Field field : entity.getHeader().getFields()) {
            ByteSequence raw = field.getRaw();
            if (raw == null) {
                out.add(new Headers.RawHeader(field.getName(), field.getBody() == null ? "" : field.getBody()));
                continue;
            }
            byte[] bytes = raw.toByteArray();
            int colon = indexOf(bytes, (byte) ':');
            String name = colon < 0 ? field.getName() : new String(bytes, 0, colon, StandardCharsets.ISO_8859_1);
            byte[] value = colon < 0 ? new byte[0] : Arrays.copyOfRange(bytes, colon + 1, bytes.length);
            Charsets.Decoded text = Charsets.guess(value);
            if (!text.charset().equals("UTF-8") && !reported) {
                b.finding(
                        FindingKind.RAW_8BIT_HEADER,
                        name.strip(),
                        "8-bit bytes that are not UTF-8, read as " + text.charset());
                reported = true;
            }
            String v = text.text();
            v = trimValue(v);
            out.add(new Headers.RawHeader(name.strip(), v));
        }
        return out;
    }

    private void walk(Entity entity, String path, int multipartDepth, int depth, MessageBuilder b) {
        if (!analysis.nextPart()) {
            if (analysis.reportPartLimit()) {
                b.finding(
                        FindingKind.PART_LIMIT,
                        path,
                        "more than " + analysis.limits.maxParts() + " MIME parts; the rest were not analysed");
            }
            return;
        }
        Body body = entity.getBody();
        MimeParams.Parsed type = MimeParams.parse(unfoldedField(entity, "Content-Type"));
        String mimeType = type.value().isEmpty() || type.value().indexOf('/') < 0
                ? entity.getMimeType().toLowerCase(Locale.ROOT)
                : type.value();
        if (body instanceof Multipart multipart) {
            if (multipartDepth >= MAX_MULTIPART_DEPTH) {
                b.finding(
                        FindingKind.MALFORMED_MIME,
                        path,
                        "multipart nesting deeper than " + MAX_MULTIPART_DEPTH + " levels; inner parts not analysed");
                return;
            }
            List<Entity> parts = multipart.getBodyParts();
            if (parts.isEmpty()) {
                b.finding(FindingKind.MALFORMED_MIME, path, mimeType + " without parts");
            }
            for (int i = 0; i < parts.size(); i++) {
                String child = path.isEmpty() ? String.valueOf(i + 1) : path + "." + (i + 1);
                walk(parts.get(i), child, multipartDepth + 1, depth, b);
            }
            return;
        }
        MimeParams.Parsed disposition = MimeParams.parse(unfoldedField(entity, "Content-Disposition"));
        String fileName = disposition.param("filename");
        if (fileName.isEmpty()) {
            fileName = type.param("name");
        }
        String contentId = HeaderText.decode(unfoldedField(entity, "Content-ID"))
                .replace("<", "")
                .replace(">", "");
        String partPath = path.isEmpty() ? "1" : path;
        if (body instanceof Message nested) {
            byte[] bytes = write(nested);
            if (depth + 1 > analysis.limits.maxDepth()) {
                b.finding(
                        FindingKind.DEPTH_LIMIT,
                        partPath,
                        "nested message at depth " + (depth + 1) + " not parsed (limit " + analysis.limits.maxDepth()
                                + ")");
                analyzer.addMessageAttachment(b, partPath, fileName, mimeType, disposition.value(), bytes, null);
            } else {
                ParsedMessage parsed = read(nested, bytes, depth + 1);
                analyzer.addMessageAttachment(b, partPath, fileName, mimeType, disposition.value(), bytes, parsed);
            }
            return;
        }
        if (!(body instanceof SingleBody single)) {
            return;
        }
        byte[] content = readAll(single, b, partPath);
        boolean text = mimeType.equals("text/plain") || mimeType.equals("text/html");
        if (text && !disposition.value().equals("attachment") && fileName.isEmpty()) {
            analyzer.addText(b, path, mimeType, content, type.param("charset"));
        } else {
            analyzer.addAttachment(b, depth, partPath, fileName, mimeType, disposition.value(), contentId, content);
        }
    }

    private static String unfoldedField(Entity entity, String name) {
        if (entity.getHeader() == null) {
            return "";
        }
        Field field = entity.getHeader().getField(name);
        if (field == null) {
            return "";
        }
        ByteSequence raw = field.getRaw();
        String value;
        if (raw != null) {
            byte[] bytes = raw.toByteArray();
            int colon = indexOf(bytes, (byte) ':');
            value = Charsets.guess(Arrays.copyOfRange(bytes, colon + 1, bytes.length))
                    .text();
        } else {
            value = field.getBody() == null ? "" : field.getBody();
        }
        return HeaderText.clean(
                        value.replace("\r\n ", " ").replace("\r\n\t", "\t").replace("\n ", " "))
                .strip();
    }

    /** A raw value without the blanks after the colon and the line break that ends the field. */
    static String trimValue(String v) {
        int start = 0;
        while (start < v.length() && (v.charAt(start) == ' ' || v.charAt(start) == '\t')) {
            start++;
        }
        int end = v.length();
        if (end > start && v.charAt(end - 1) == '\n') {
            end--;
            if (end > start && v.charAt(end - 1) == '\r') {
                end--;
            }
        }
        return v.substring(start, end);
    }

    private static byte[] readAll(SingleBody body, MessageBuilder b, String path) {
        try (InputStream in = body.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            b.finding(
                    FindingKind.MALFORMED_MIME,
                    path,
                    "content could not be decoded: " + e.getClass().getSimpleName());
            return new byte[0];
        }
    }

    private static byte[] write(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new DefaultMessageWriter().writeMessage(message, out);
        } catch (IOException | RuntimeException e) {
            // what was written so far still identifies the part
        }
        return out.toByteArray();
    }

    private static byte[] stripBom(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return Arrays.copyOfRange(b, 3, b.length);
        }
        return b;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
