package org.sluice.api.mail;

import java.util.Locale;
import java.util.Optional;

/**
 * Normalising Internet Message-IDs so that one message has one identity however a header, a provider's API or a
 * report writes its id: folded whitespace and comments removed, angle brackets stripped, a quoted local part
 * unquoted where quoting changes nothing, and the domain lower-cased. The local part keeps its case: RFC 5322 makes it
 * case-sensitive, and attackers do reuse ids that differ only there.
 *
 * <p>Message-IDs are chosen by senders, attackers included; an id is a hint for finding copies, never proof that two
 * messages are the same. Callers pair it with a content fingerprint.
 */
public final class MessageIds {

    /** The longest id kept; RFC 5322 lines are at most 998 characters. */
    public static final int MAX_LENGTH = 998;

    private MessageIds() {}

    /**
     * The normalised id, without brackets, or empty when {@code raw} holds no usable id (blank, no {@code @}, too
     * long, or with control characters).
     */
    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = stripComments(raw).replaceAll("[\\r\\n\\t ]+", "");
        int open = value.indexOf('<');
        int close = value.lastIndexOf('>');
        if (open >= 0 && close > open) {
            value = value.substring(open + 1, close);
        } else if (open >= 0 || close >= 0) {
            value = value.replace("<", "").replace(">", "");
        }
        int at = value.lastIndexOf('@');
        if (value.isEmpty() || value.length() > MAX_LENGTH || at <= 0 || at == value.length() - 1) {
            return Optional.empty();
        }
        if (value.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return Optional.empty();
        }
        String local = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            String unquoted = local.substring(1, local.length() - 1);
            if (unquoted.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
                    && !unquoted.startsWith(".")
                    && !unquoted.endsWith(".")
                    && !unquoted.contains("..")) {
                local = unquoted;
            }
        }
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return Optional.of(local + "@" + domain);
        }
        return Optional.of(local + "@" + domain.toLowerCase(Locale.ROOT));
    }

    /** Removes RFC 5322 comments, which may nest, outside quoted strings. */
    private static String stripComments(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && (quoted || depth > 0)) {
                if (depth == 0) {
                    out.append(c).append(raw.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                out.append(c);
            } else if (c == '(' && !quoted) {
                depth++;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
