package org.sluice.clear.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sluice.mail.Attachment;
import org.sluice.mail.MailParser;
import org.sluice.mail.MessageFormat;
import org.sluice.mail.ParsedMessage;

/**
 * Finds the reported message inside a report. In order: a nested message attached to the report (a
 * {@code message/rfc822} part, an {@code .eml} or {@code .msg} file, a TNEF container), then a message forwarded
 * inline in the report's body (the block after a forwarding marker such as "Forwarded message" or "Original
 * Message", whose {@code From:}, {@code Subject:} and {@code Date:}/{@code Sent:} lines identify it, since an inline
 * forward has no Message-ID of its own; its {@code To:} and {@code Cc:} lines, when there, name further recipients).
 *
 * <p>An inline-forwarded message is rebuilt as a small message of its own from those lines and the forwarded text, so
 * that the rules see its sender, subject, URLs and text; it has no authentication results and no attachments of its
 * own (those stay on the report). Stateless and thread-safe.
 */
final class ReportUnwrapper {

    /** Date lines of inline forwards as mail clients write them, English month and day names. */
    private static final List<DateTimeFormatter> FORWARD_DATES = Stream.of(
                    "EEEE, MMMM d, yyyy h:mm a",
                    "EEEE, MMMM d, yyyy h:mm:ss a",
                    "EEE, MMM d, yyyy 'at' h:mm a",
                    "EEEE, d MMMM yyyy HH:mm",
                    "EEEE, d MMMM yyyy HH:mm:ss",
                    "d MMM yyyy 'at' HH:mm",
                    "EEE, d MMM yyyy HH:mm",
                    "MMMM d, yyyy 'at' h:mm a",
                    "yyyy-MM-dd HH:mm",
                    "yyyy-MM-dd HH:mm:ss")
            .map(pattern -> new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern(pattern)
                    .toFormatter(Locale.ENGLISH))
            .toList();

    /** Lines that start the forwarded part of a report, as mail clients write them. */
    private static final Pattern MARKER = Pattern.compile(
            "^[ >]*(?:-{2,}\\s*(?:Forwarded message|Original Message|Message transféré|Weitergeleitete Nachricht"
                    + "|Ursprüngliche Nachricht|Mensaje original|Mensaje reenviado)\\s*-{2,}"
                    + "|Begin forwarded message:|_{10,})\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private static final Pattern FIELD = Pattern.compile(
            "^[ >*]*(From|Von|De|Subject|Betreff|Objet|Asunto|Date|Sent|Datum|Gesendet|Envoyé|Enviado"
                    + "|To|An|À|Para|Cc)\\s*:\\s*\\**\\s*(.*)$",
            Pattern.CASE_INSENSITIVE);

    /** How many lines after the marker the forwarded header block may take. */
    private static final int MAX_HEADER_LINES = 12;

    private final MailParser parser;

    ReportUnwrapper(MailParser parser) {
        this.parser = parser;
    }

    Unwrapped unwrap(byte[] raw) {
        ParsedMessage report = parser.parse(raw);
        for (Attachment attachment : report.attachments()) {
            if (attachment.message() == null) {
                continue;
            }
            ParsedMessage reported = attachment.message();
            boolean file = !attachment.declaredType().equals("message/rfc822");
            byte[] bytes = report.format() == MessageFormat.MIME
                    ? parser.partContent(raw, attachment.partPath()).orElse(null)
                    : null;
            String foundAs = file ? Unwrapped.ATTACHED_FILE : Unwrapped.ATTACHED_MESSAGE;
            if (bytes == null) {
                // Outlook and TNEF containers keep no separable bytes of an embedded message: the report stands in.
                bytes = raw;
                foundAs = Unwrapped.REPORT_ITSELF;
            }
            return new Unwrapped(report, reported, bytes, foundAs, identity(reported));
        }
        Unwrapped inline = inline(report, raw);
        if (inline != null) {
            return inline;
        }
        return new Unwrapped(report, null, null, Unwrapped.NONE, null);
    }

    /** The link identity of a message: its Message-ID, or a digest of its sender, subject and date. */
    static String identity(ParsedMessage message) {
        if (!message.messageId().isBlank()) {
            return "message-id:" + message.messageId().strip();
        }
        String sender = message.fromAddress().map(a -> a.normalized()).orElse("");
        String date = message.date() != null
                ? message.date().toString()
                : message.dateText().strip();
        return "forwarded:" + sha256(sender + "\n" + message.subject().strip() + "\n" + date);
    }

    private Unwrapped inline(ParsedMessage report, byte[] raw) {
        String text = report.bodyText().replace("\r\n", "\n");
        Matcher marker = MARKER.matcher(text);
        if (!marker.find()) {
            return null;
        }
        String[] lines = text.substring(marker.end()).split("\n", -1);
        String from = null;
        String subject = null;
        String date = null;
        String to = null;
        String cc = null;
        StringBuilder head = new StringBuilder();
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        int seen = 0;
        for (; i < lines.length && seen < MAX_HEADER_LINES; i++, seen++) {
            Matcher field = FIELD.matcher(lines[i]);
            if (!field.matches()) {
                break;
            }
            String name = field.group(1).toLowerCase(Locale.ROOT);
            String value = field.group(2).strip();
            switch (name) {
                case "from", "von", "de" -> from = value;
                case "subject", "betreff", "objet", "asunto" -> subject = value;
                case "date", "sent", "datum", "gesendet", "envoyé", "enviado" -> date = value;
                case "cc" -> cc = value;
                default -> to = value;
            }
        }
        if (from == null || subject == null) {
            return null;
        }
        StringBuilder body = new StringBuilder();
        for (; i < lines.length; i++) {
            body.append(lines[i].startsWith(">") ? lines[i].substring(1) : lines[i])
                    .append("\r\n");
        }
        head.append("From: ").append(headerSafe(from)).append("\r\n");
        head.append("Subject: ").append(headerSafe(subject)).append("\r\n");
        if (date != null) {
            head.append("Date: ").append(headerSafe(forwardedDate(date))).append("\r\n");
        }
        if (to != null && !to.isBlank()) {
            head.append("To: ").append(headerSafe(to)).append("\r\n");
        }
        if (cc != null && !cc.isBlank()) {
            head.append("Cc: ").append(headerSafe(cc)).append("\r\n");
        }
        head.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n");
        head.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        byte[] rebuilt = (head + body.toString()).getBytes(StandardCharsets.UTF_8);
        ParsedMessage reported = parser.parse(rebuilt);
        String sender = reported.fromAddress().map(a -> a.normalized()).orElse(from.toLowerCase(Locale.ROOT));
        String identity = "forwarded:" + sha256(sender + "\n" + subject + "\n" + (date == null ? "" : date));
        return new Unwrapped(report, reported, raw, Unwrapped.INLINE_FORWARD, identity);
    }

    /**
     * The date line of an inline forward as an RFC 5322 date when it is in a mail client's own format (Outlook's
     * "Thursday, December 3, 2026 9:15 AM", Gmail's "Thu, Dec 3, 2026 at 9:15 AM", ...), read as UTC since those
     * carry no zone (the search window around it is a day wide); any other text is kept as it is.
     */
    static String forwardedDate(String text) {
        String plain = text.replaceAll("[\\s\\u00A0\\u202F]+", " ").strip();
        for (DateTimeFormatter format : FORWARD_DATES) {
            try {
                return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        LocalDateTime.parse(plain, format).atOffset(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // Not this client's format; try the next.
            }
        }
        return text;
    }

    /** Text from the report body made safe to stand in a header line: no line breaks, bounded length. */
    private static String headerSafe(String value) {
        String v = value.replaceAll("[\\r\\n\\x00]", " ");
        return v.length() > 900 ? v.substring(0, 900) : v;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
