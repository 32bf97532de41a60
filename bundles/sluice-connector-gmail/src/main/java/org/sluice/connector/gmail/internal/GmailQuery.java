package org.sluice.connector.gmail.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds Gmail search strings ({@code q}) from values an attacker chose (Message-IDs, subjects, sender addresses).
 *
 * <p>Every value goes into one double-quoted phrase after a search operator ({@code rfc822msgid:"..."}). Gmail's
 * search syntax has no escape character inside a phrase, so the characters that could end the phrase or be read as
 * syntax at its edge ({@code "} and {@code \}) and control characters become spaces, and runs of spaces collapse.
 * Inside a phrase, {@code OR}, {@code -}, {@code *}, braces and parentheses are plain words. The phrase can therefore
 * only match more widely than the value, never add operators; callers re-check every hit exactly.
 */
final class GmailQuery {

    private GmailQuery() {}

    /**
     * {@code rfc822msgid:"<id>"} for a Message-ID without brackets, or {@code null} when nothing searchable is left.
     */
    static String messageId(String internetMessageId) {
        String phrase = phrase(stripBrackets(internetMessageId));
        return phrase == null ? null : "rfc822msgid:" + phrase;
    }

    /**
     * A search by sender, subject and time window; any part may be {@code null}. The window is widened by a second
     * on each side (Gmail compares whole seconds); callers re-check the exact times. Returns {@code null} when no
     * part is searchable.
     */
    static String window(String sender, String subject, Instant from, Instant to) {
        List<String> terms = new ArrayList<>();
        String fromPhrase = phrase(sender);
        if (fromPhrase != null) {
            terms.add("from:" + fromPhrase);
        }
        String subjectPhrase = phrase(subject);
        if (subjectPhrase != null) {
            terms.add("subject:" + subjectPhrase);
        }
        if (terms.isEmpty()) {
            return null;
        }
        if (from != null) {
            terms.add("after:" + Math.max(0, from.getEpochSecond() - 1));
        }
        if (to != null) {
            terms.add("before:" + (to.getEpochSecond() + 2));
        }
        return String.join(" ", terms);
    }

    /** A double-quoted phrase holding {@code value} with phrase-breaking characters made spaces, or {@code null}. */
    static String phrase(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length() + 2);
        boolean space = true;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            boolean blank = c == '"' || c == '\\' || Character.isISOControl(c) || Character.isWhitespace(c);
            if (blank) {
                if (!space) {
                    out.append(' ');
                    space = true;
                }
            } else {
                out.appendCodePoint(c);
                space = false;
            }
        }
        String text = out.toString().trim();
        return text.isEmpty() ? null : "\"" + text + "\"";
    }

    /** A Message-ID without surrounding whitespace and angle brackets. */
    static String stripBrackets(String id) {
        if (id == null) {
            return null;
        }
        String trimmed = id.trim();
        if (trimmed.startsWith("<") && trimmed.endsWith(">") && trimmed.length() >= 2) {
            trimmed = trimmed.substring(1, trimmed.length() - 1).trim();
        }
        return trimmed;
    }

    /** Whether two Message-IDs are the same after removing brackets and surrounding space, ignoring case. */
    static boolean sameMessageId(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String left = stripBrackets(a);
        String right = stripBrackets(b);
        return !left.isEmpty() && left.toLowerCase(Locale.ROOT).equals(right.toLowerCase(Locale.ROOT));
    }

    /** The address in a From header value: the part in the last angle brackets, or the whole value trimmed. */
    static String address(String fromHeader) {
        if (fromHeader == null) {
            return null;
        }
        int open = fromHeader.lastIndexOf('<');
        int close = fromHeader.lastIndexOf('>');
        if (open >= 0 && close > open) {
            return fromHeader.substring(open + 1, close).trim();
        }
        return fromHeader.trim();
    }
}
