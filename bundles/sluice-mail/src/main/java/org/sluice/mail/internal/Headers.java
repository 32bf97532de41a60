package org.sluice.mail.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.sluice.mail.FindingKind;
import org.sluice.mail.HeaderField;
import org.sluice.mail.MailAddress;

/** Turns raw header fields into {@link HeaderField}s and the typed values derived from them, within the limits. */
final class Headers {

    private static final Pattern BRACKETS = Pattern.compile("^\\s*<|>\\s*$");

    private Headers() {}

    /** One field as read: its name and the raw value (folding kept). */
    record RawHeader(String name, String rawValue) {}

    static void apply(List<RawHeader> fields, MessageBuilder b, Analysis a) {
        int max = a.limits.maxHeaders();
        int maxLength = a.limits.maxHeaderLength();
        for (RawHeader field : fields) {
            if (b.headers.size() >= max) {
                b.finding(
                        FindingKind.HEADER_COUNT_LIMIT,
                        "",
                        "more than " + max + " header fields; " + (fields.size() - max) + " dropped");
                break;
            }
            String raw = field.rawValue();
            if (raw.length() > maxLength) {
                b.finding(
                        FindingKind.HEADER_LENGTH_LIMIT,
                        field.name(),
                        "value of " + raw.length() + " characters cut to " + maxLength);
                raw = raw.substring(0, maxLength);
            }
            String name = HeaderText.clean(field.name()).strip();
            b.headers.add(new HeaderField(name, raw, HeaderText.decode(raw)));
            derive(name, raw, b);
        }
    }

    private static void derive(String name, String raw, MessageBuilder b) {
        String unfolded = HeaderText.clean(HeaderText.unfold(raw)).strip();
        switch (name.toLowerCase(Locale.ROOT)) {
            case "subject" -> {
                if (b.subject.isEmpty()) {
                    b.subject = HeaderText.decode(raw);
                }
            }
            case "from" -> {
                if (b.from.isEmpty()) {
                    b.from = AddressParser.parseList(unfolded);
                }
            }
            case "sender" -> {
                if (b.sender == null) {
                    b.sender = first(AddressParser.parseList(unfolded));
                }
            }
            case "reply-to" -> {
                if (b.replyTo.isEmpty()) {
                    b.replyTo = AddressParser.parseList(unfolded);
                }
            }
            case "to" -> {
                if (b.to.isEmpty()) {
                    b.to = AddressParser.parseList(unfolded);
                }
            }
            case "cc" -> {
                if (b.cc.isEmpty()) {
                    b.cc = AddressParser.parseList(unfolded);
                }
            }
            case "return-path" -> {
                if (b.returnPath == null) {
                    MailAddress path = first(AddressParser.parseList(unfolded));
                    b.returnPath = path == null && unfolded.contains("<>") ? new MailAddress("", "") : path;
                }
            }
            case "message-id" -> {
                if (b.messageId.isEmpty()) {
                    b.messageId = BRACKETS.matcher(unfolded).replaceAll("").strip();
                }
            }
            case "date" -> {
                if (b.dateText.isEmpty()) {
                    b.dateText = HeaderText.decode(raw);
                    b.date = MailDates.parse(b.dateText);
                    if (b.date == null) {
                        b.finding(FindingKind.BAD_DATE, "Date", "unparseable date: " + cap(b.dateText));
                    }
                }
            }
            case "received" -> {
                b.received.add(ReceivedParser.parse(HeaderText.decode(raw)));
                if (b.received.get(b.received.size() - 1).dateUnparseable()) {
                    b.finding(
                            FindingKind.BAD_DATE,
                            "Received",
                            "hop " + b.received.size() + " has no parseable date: "
                                    + cap(b.received.get(b.received.size() - 1).dateText()));
                }
            }
            case "authentication-results", "arc-authentication-results" ->
                b.authResults.add(AuthResultsParser.parse(name, HeaderText.decode(raw)));
            case "received-spf" -> b.authResults.add(AuthResultsParser.parseReceivedSpf(HeaderText.decode(raw)));
            default -> {
                // every field is kept in the header list; only the ones above have a typed form
            }
        }
    }

    private static MailAddress first(List<MailAddress> list) {
        return list.isEmpty() ? null : list.get(0);
    }

    static String cap(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
