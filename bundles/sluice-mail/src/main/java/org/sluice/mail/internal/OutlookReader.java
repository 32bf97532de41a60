package org.sluice.mail.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.Field;
import org.apache.poi.hsmf.MAPIMessage;
import org.apache.poi.hsmf.datatypes.AttachmentChunks;
import org.apache.poi.hsmf.datatypes.StringChunk;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.EntryUtils;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.sluice.mail.FindingKind;
import org.sluice.mail.MailAddress;
import org.sluice.mail.MessageFormat;
import org.sluice.mail.ParsedMessage;

/**
 * Reads Outlook {@code .msg} files with Apache POI HSMF. When the file carries the transport headers of the message
 * as it arrived (PR_TRANSPORT_MESSAGE_HEADERS), those are parsed like any MIME header block, so Received hops and
 * authentication results are available; otherwise subject, sender, recipients and date come from the MAPI
 * properties. Bodies: plain text, HTML and (when neither exists) RTF. Attached messages are read recursively.
 */
final class OutlookReader {

    private final Analyzer analyzer;
    private final Analysis analysis;

    OutlookReader(Analyzer analyzer) {
        this.analyzer = analyzer;
        this.analysis = analyzer.analysis();
    }

    ParsedMessage read(byte[] bytes, int depth) {
        MessageBuilder b = new MessageBuilder(MessageFormat.OUTLOOK_MSG, bytes, analysis);
        MAPIMessage msg;
        try {
            msg = new MAPIMessage(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            b.finding(
                    FindingKind.PARSE_ERROR,
                    "",
                    "not a readable Outlook message: " + e.getClass().getSimpleName());
            return b.build();
        }
        read(msg, depth, b);
        return b.build();
    }

    private ParsedMessage read(MAPIMessage msg, byte[] bytes, int depth) {
        MessageBuilder b = new MessageBuilder(MessageFormat.OUTLOOK_MSG, bytes, analysis);
        read(msg, depth, b);
        return b.build();
    }

    private void read(MAPIMessage msg, int depth, MessageBuilder b) {
        msg.setReturnNullOnMissingChunk(true);
        try {
            if (msg.has7BitEncodingStrings()) {
                msg.guess7BitEncoding();
            }
        } catch (RuntimeException e) {
            b.finding(FindingKind.MALFORMED_HEADER, "", "codepage of 8-bit strings unknown");
        }
        String[] transport = get(b, "transport headers", msg::getHeaders);
        if (transport != null && transport.length > 0) {
            Headers.apply(parseHeaderBlock(String.join("\r\n", transport)), b, analysis);
        }
        if (b.subject.isEmpty()) {
            b.subject = HeaderText.clean(nz(get(b, "subject", msg::getSubject))).strip();
        }
        if (b.from.isEmpty()) {
            String name = nz(get(b, "sender name", msg::getDisplayFrom));
            StringChunk email = msg.getMainChunks().getEmailFromChunk();
            String address = email == null ? "" : nz(email.getValue());
            if (!name.isEmpty() || !address.isEmpty()) {
                b.from = List.of(new MailAddress(
                        HeaderText.clean(name).strip(),
                        HeaderText.clean(address).strip()));
            }
        }
        if (b.to.isEmpty()) {
            String[] addresses = get(b, "recipients", msg::getRecipientEmailAddressList);
            String[] names = get(b, "recipient names", msg::getRecipientNamesList);
            List<MailAddress> to = new ArrayList<>();
            for (int i = 0; addresses != null && i < addresses.length; i++) {
                String name = names != null && i < names.length ? nz(names[i]) : "";
                to.add(new MailAddress(
                        HeaderText.clean(name).strip(),
                        HeaderText.clean(nz(addresses[i])).strip()));
            }
            b.to = to;
        }
        if (b.date == null) {
            Calendar date = get(b, "date", msg::getMessageDate);
            if (date != null) {
                b.date = date.toInstant();
            }
        }
        if (b.messageId.isEmpty()) {
            StringChunk id = msg.getMainChunks().getMessageId();
            if (id != null) {
                b.messageId = HeaderText.clean(nz(id.getValue()))
                        .replaceAll("^\\s*<|>\\s*$", "")
                        .strip();
            }
        }
        addBodies(msg, b);
        addAttachments(msg, depth, b);
    }

    private void addBodies(MAPIMessage msg, MessageBuilder b) {
        String text = get(b, "text body", msg::getTextBody);
        String html = get(b, "HTML body", msg::getHtmlBody);
        if (text != null && !text.isBlank()) {
            analyzer.addText(b, "body", "text/plain", text, "");
        }
        if (html != null && !html.isBlank()) {
            analyzer.addText(b, "html", "text/html", html, "");
        }
        if ((text == null || text.isBlank()) && (html == null || html.isBlank())) {
            String rtf = get(b, "RTF body", msg::getRtfBody);
            if (rtf != null && !rtf.isBlank()) {
                analyzer.addText(b, "rtf", "text/rtf", rtf, "");
            }
        }
    }

    private void addAttachments(MAPIMessage msg, int depth, MessageBuilder b) {
        AttachmentChunks[] attachments = msg.getAttachmentFiles();
        for (int i = 0; attachments != null && i < attachments.length; i++) {
            AttachmentChunks att = attachments[i];
            String path = "attachment " + (i + 1);
            if (!analysis.nextPart()) {
                if (analysis.reportPartLimit()) {
                    b.finding(FindingKind.PART_LIMIT, path, "more than " + analysis.limits.maxParts() + " parts");
                }
                return;
            }
            String name = value(att.getAttachLongFileName());
            if (name.isEmpty()) {
                name = value(att.getAttachFileName());
            }
            if (name.isEmpty()) {
                name = value(att.getAttachDisplayName());
            }
            String mimeTag = value(att.getAttachMimeTag()).toLowerCase(Locale.ROOT);
            String contentId = value(att.getAttachContentId());
            try {
                if (att.isEmbeddedMessage()) {
                    MAPIMessage embedded = att.getEmbeddedMessage();
                    byte[] copy = serialize(
                            att.getAttachmentDirectory() == null
                                    ? null
                                    : att.getAttachmentDirectory().getDirectory());
                    if (depth + 1 > analysis.limits.maxDepth()) {
                        b.finding(
                                FindingKind.DEPTH_LIMIT,
                                path,
                                "nested message at depth " + (depth + 1) + " not parsed (limit "
                                        + analysis.limits.maxDepth() + ")");
                        analyzer.addMessageAttachment(
                                b, path, name, "application/vnd.ms-outlook", "attachment", copy, null);
                    } else {
                        ParsedMessage parsed = read(embedded, copy, depth + 1);
                        analyzer.addMessageAttachment(
                                b, path, name, "application/vnd.ms-outlook", "attachment", copy, parsed);
                    }
                    continue;
                }
            } catch (IOException | RuntimeException e) {
                b.finding(
                        FindingKind.NESTED_PARSE_FAILED,
                        path,
                        "attached Outlook message could not be read: "
                                + e.getClass().getSimpleName());
            }
            byte[] content = att.getEmbeddedAttachmentObject();
            analyzer.addAttachment(
                    b,
                    depth,
                    path,
                    name,
                    mimeTag.isEmpty() ? "application/octet-stream" : mimeTag,
                    "attachment",
                    contentId,
                    content == null ? new byte[0] : content);
        }
    }

    /** A header block (lines as in a message) read with mime4j into raw fields. */
    private static List<Headers.RawHeader> parseHeaderBlock(String block) {
        List<Headers.RawHeader> out = new ArrayList<>();
        try {
            byte[] bytes = (block.strip() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            for (Field field : MimeReader.parse(bytes).getHeader().getFields()) {
                byte[] raw = field.getRaw() == null ? null : field.getRaw().toByteArray();
                if (raw == null) {
                    out.add(new Headers.RawHeader(field.getName(), nz(field.getBody())));
                    continue;
                }
                String line = new String(raw, StandardCharsets.UTF_8);
                int colon = line.indexOf(':');
                out.add(new Headers.RawHeader(
                        colon < 0 ? field.getName() : line.substring(0, colon).strip(),
                        colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^[ \\t]+", "")));
            }
        } catch (IOException | MimeException | RuntimeException e) {
            // no usable transport headers: the MAPI properties are used instead
        }
        return out;
    }

    /** Copies an embedded message's storage into a file of its own, for its size and digests. */
    private static byte[] serialize(DirectoryNode directory) {
        if (directory == null) {
            return new byte[0];
        }
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            EntryUtils.copyNodes(directory, fs.getRoot());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    private static <T> T get(MessageBuilder b, String what, Callable<T> getter) {
        try {
            return getter.call();
        } catch (Exception e) {
            b.finding(
                    FindingKind.MALFORMED_HEADER,
                    what,
                    "could not be read: " + e.getClass().getSimpleName());
            return null;
        }
    }

    private static String value(StringChunk chunk) {
        return chunk == null || chunk.getValue() == null
                ? ""
                : HeaderText.clean(chunk.getValue()).strip();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
