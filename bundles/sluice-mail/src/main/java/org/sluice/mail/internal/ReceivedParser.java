package org.sluice.mail.internal;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sluice.mail.ReceivedHop;

/**
 * Splits a {@code Received} header (RFC 5321 section 4.4) into its clauses. The clause keywords are found only
 * outside comments, so {@code (from userid 1000)} inside a comment does not start a clause. Everything after the last
 * semicolon is the date. Real relays vary widely; anything unrecognised stays in the raw value.
 */
final class ReceivedParser {

    private enum Clause {
        FROM,
        BY,
        VIA,
        WITH,
        ID,
        FOR
    }

    private static final Pattern KEYWORD = Pattern.compile("(?i)(?<![\\w.-])(from|by|via|with|id|for)(?=\\s)");
    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![\\d.])");
    private static final Pattern IPV6 = Pattern.compile("(?i)\\[(?:ipv6:)?([0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})\\]");

    private ReceivedParser() {}

    static ReceivedHop parse(String value) {
        int semicolon = lastTopLevelSemicolon(value);
        String clauses = semicolon < 0 ? value : value.substring(0, semicolon);
        String dateText = semicolon < 0 ? "" : value.substring(semicolon + 1).strip();
        String masked = maskComments(clauses);
        Map<Clause, String> found = new EnumMap<>(Clause.class);
        Matcher m = KEYWORD.matcher(masked);
        Clause current = null;
        int start = 0;
        while (m.find()) {
            Clause next = Clause.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            if (found.containsKey(next) || next == current) {
                continue; // a repeated keyword is text of the current clause (e.g. "for" inside a from comment)
            }
            if (current != null) {
                found.putIfAbsent(current, clauses.substring(start, m.start()).strip());
            }
            current = next;
            start = m.end();
        }
        if (current != null) {
            found.putIfAbsent(current, clauses.substring(start).strip());
        }
        String from = found.getOrDefault(Clause.FROM, "");
        String forAddress = found.getOrDefault(Clause.FOR, "")
                .replace("<", "")
                .replace(">", "")
                .strip();
        return new ReceivedHop(
                value,
                from,
                firstIp(from),
                found.getOrDefault(Clause.BY, ""),
                found.getOrDefault(Clause.WITH, ""),
                found.getOrDefault(Clause.ID, ""),
                forAddress,
                dateText,
                MailDates.parse(dateText));
    }

    private static String firstIp(String from) {
        Matcher v6 = IPV6.matcher(from);
        Matcher v4 = IPV4.matcher(from);
        int v6at = v6.find() ? v6.start() : Integer.MAX_VALUE;
        int v4at = v4.find() ? v4.start() : Integer.MAX_VALUE;
        if (v4at == Integer.MAX_VALUE && v6at == Integer.MAX_VALUE) {
            return "";
        }
        return v4at <= v6at ? v4.group(1) : v6.group(1);
    }

    /** Comment text replaced by spaces, same length, so keyword positions map back to the original. */
    private static String maskComments(String s) {
        StringBuilder out = new StringBuilder(s);
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                out.setCharAt(i, ' ');
                continue;
            }
            if (depth > 0) {
                out.setCharAt(i, ' ');
            }
        }
        return out.toString();
    }

    private static int lastTopLevelSemicolon(String s) {
        int depth = 0;
        int found = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == ';' && depth == 0) {
                found = i;
            }
        }
        return found;
    }
}
