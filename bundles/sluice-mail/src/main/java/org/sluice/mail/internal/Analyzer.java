package org.sluice.mail.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.mail.Attachment;
import org.sluice.mail.Finding;
import org.sluice.mail.FindingKind;
import org.sluice.mail.MessageFormat;
import org.sluice.mail.ParseLimits;
import org.sluice.mail.ParsedMessage;
import org.sluice.mail.TextPart;
import org.sluice.mail.UrlSource;

/**
 * Entry point of the implementation: picks the reader for a container format, and holds what all of them share
 * (body texts, attachments, and the recursion into attachments that are messages themselves).
 */
public final class Analyzer {

    private final Logger logger = LoggerFactory.getLogger(Analyzer.class);
    private final Analysis analysis;

    public Analyzer(ParseLimits limits) {
        this.analysis = new Analysis(limits);
    }

    /** Parses {@code input}, whose format is recognised from its first bytes. Never throws. */
    public ParsedMessage analyze(byte[] input) {
        long max = analysis.limits.maxBytes();
        byte[] bytes = input.length > max ? Arrays.copyOf(input, (int) max) : input;
        ParsedMessage message = analyze(bytes, 0, detectFormat(bytes));
        if (input.length > max) {
            return withSizeFinding(message, input);
        }
        return message;
    }

    static MessageFormat detectFormat(byte[] bytes) {
        if (TypeSniffer.isCompoundFile(bytes)) {
            return MessageFormat.OUTLOOK_MSG;
        }
        if (TypeSniffer.isTnef(bytes)) {
            return MessageFormat.TNEF;
        }
        return MessageFormat.MIME;
    }

    ParsedMessage analyze(byte[] bytes, int depth, MessageFormat format) {
        try {
            return switch (format) {
                case MIME -> new MimeReader(this).read(bytes, depth);
                case OUTLOOK_MSG -> new OutlookReader(this).read(bytes, depth);
                case TNEF -> new TnefReader(this).read(bytes, depth);
            };
        } catch (RuntimeException | StackOverflowError e) {
            // The readers record their own problems; this is the last line that keeps a hostile input from escaping.
            logger.debug("Parsing a {} message of {} bytes stopped", format, bytes.length, e);
            MessageBuilder b = new MessageBuilder(format, bytes, analysis);
            b.finding(
                    FindingKind.PARSE_ERROR,
                    "",
                    "the message could not be parsed: " + e.getClass().getSimpleName());
            return b.build();
        }
    }

    Analysis analysis() {
        return analysis;
    }

    /** Adds a body text (decoding it) and its URLs to the builder. */
    void addText(MessageBuilder b, String path, String type, byte[] content, String charsetLabel) {
        Charsets.Decoded decoded = Charsets.decode(content, charsetLabel);
        if (!decoded.known()) {
            b.finding(
                    FindingKind.UNKNOWN_CHARSET,
                    path,
                    "unknown charset '" + Headers.cap(charsetLabel) + "', decoded as " + decoded.charset());
        }
        addText(b, path, type, decoded.text(), decoded.charset());
    }

    void addText(MessageBuilder b, String path, String type, String text, String charset) {
        String plain;
        switch (type) {
            case "text/html" -> {
                Document doc = Jsoup.parse(text);
                b.urls.fromHtml(doc, path);
                plain = UrlExtractor.htmlText(doc);
            }
            case "text/rtf", "application/rtf" -> {
                plain = Rtf.toText(text);
                b.urls.fromText(plain, UrlSource.TEXT, path);
            }
            default -> {
                plain = text;
                b.urls.fromText(text, UrlSource.TEXT, path);
            }
        }
        b.textParts.add(new TextPart(path, type, charset, text, plain));
    }

    /**
     * Adds an attachment; when its content is a message (rfc822, .eml, .msg, TNEF), parses it one level deeper,
     * unless the depth limit is reached.
     */
    void addAttachment(
            MessageBuilder b,
            int depth,
            String path,
            String fileName,
            String declaredType,
            String disposition,
            String contentId,
            byte[] content) {
        String detected = TypeSniffer.detect(content);
        MessageFormat nested = nestedFormat(declaredType, detected, fileName, content);
        ParsedMessage message = null;
        if (nested != null) {
            if (depth + 1 > analysis.limits.maxDepth()) {
                b.finding(
                        FindingKind.DEPTH_LIMIT,
                        path,
                        "nested message at depth " + (depth + 1) + " not parsed (limit " + analysis.limits.maxDepth()
                                + ")");
            } else {
                message = analyze(content, depth + 1, nested);
                if (message.has(FindingKind.PARSE_ERROR) && message.headers().isEmpty()) {
                    b.finding(FindingKind.NESTED_PARSE_FAILED, path, "attached " + nested + " could not be parsed");
                }
            }
        }
        b.attachments.add(new Attachment(
                path,
                fileName,
                declaredType.isEmpty() ? "application/octet-stream" : declaredType,
                detected,
                disposition,
                contentId,
                content.length,
                Digests.sha256(content),
                Digests.md5(content),
                message));
    }

    /**
     * Adds an attachment that is an already parsed message (a mime4j or Outlook object), with its own bytes. Its
     * detected type is the one the successful parse proved, not a magic-number guess.
     */
    void addMessageAttachment(
            MessageBuilder b,
            String path,
            String fileName,
            String declaredType,
            String disposition,
            byte[] content,
            ParsedMessage message) {
        b.attachments.add(new Attachment(
                path,
                fileName,
                declaredType,
                declaredType.equals("application/vnd.ms-outlook") ? declaredType : "message/rfc822",
                disposition,
                "",
                content.length,
                Digests.sha256(content),
                Digests.md5(content),
                message));
    }

    private static MessageFormat nestedFormat(String declared, String detected, String fileName, byte[] content) {
        String name = fileName.toLowerCase(Locale.ROOT).strip();
        if (TypeSniffer.isTnef(content)) {
            return MessageFormat.TNEF;
        }
        if (TypeSniffer.isCompoundFile(content)
                && (name.endsWith(".msg")
                        || detected.equals("application/vnd.ms-outlook")
                        || declared.equals("application/vnd.ms-outlook"))) {
            return MessageFormat.OUTLOOK_MSG;
        }
        boolean binary = TypeSniffer.isCompoundFile(content)
                || detected.startsWith("image/")
                || detected.equals("application/pdf")
                || detected.equals("application/zip");
        if (binary) {
            return null;
        }
        if (declared.equals("message/rfc822")
                || declared.equals("message/global")
                || name.endsWith(".eml")
                || detected.equals("message/rfc822")) {
            return MessageFormat.MIME;
        }
        return null;
    }

    private ParsedMessage withSizeFinding(ParsedMessage m, byte[] input) {
        List<Finding> findings = new ArrayList<>();
        findings.add(new Finding(
                FindingKind.SIZE_LIMIT,
                "",
                "input of " + input.length + " bytes; only the first " + analysis.limits.maxBytes()
                        + " were analysed"));
        findings.addAll(m.findings());
        return new ParsedMessage(
                m.format(),
                input.length,
                Digests.sha256(input),
                m.headers(),
                m.subject(),
                m.from(),
                m.sender(),
                m.replyTo(),
                m.to(),
                m.cc(),
                m.returnPath(),
                m.messageId(),
                m.dateText(),
                m.date(),
                m.received(),
                m.authenticationResults(),
                m.textParts(),
                m.urls(),
                m.attachments(),
                findings);
    }
}
