package org.sluice.mail.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sluice.mail.MailAddress;

/**
 * Lenient parser of address lists ({@code From}, {@code To}, {@code Reply-To}, ...) working on the raw, undecoded
 * value, so that a comma or angle bracket produced by decoding an encoded word can never split or forge an address.
 * Display names are decoded afterwards. Accepts what real mail contains: bare addresses, {@code name <addr>},
 * {@code addr (comment)}, groups ({@code undisclosed-recipients:;}), {@code <>}, source routes, and the spoofing shape
 * {@code alice@example.com <bob@example.com>} (display name {@code alice@example.com}, address {@code bob@...}).
 */
final class AddressParser {

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?[^?\\s]+\\?[BbQq]\\?[^?]*\\?=");

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private AddressParser() {}

    static List<MailAddress> parseList(String raw) {
        List<MailAddress> out = new ArrayList<>();
        for (String entry : split(raw == null ? "" : raw)) {
            MailAddress address = parseOne(entry);
            if (address != null) {
                out.add(address);
            }
        }
        return out;
    }

    /** The entries of a list: split at top-level commas and semicolons; group names dropped. */
    private static List<String> split(String s) {
        List<String> entries = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        Matcher word = ENCODED_WORD.matcher(s);
        int depthAngle = 0;
        int depthParen = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!quoted
                    && depthParen == 0
                    && c == '='
                    && word.region(i, s.length()).lookingAt()) {
                current.append(s, i, word.end());
                i = word.end() - 1;
                continue;
            }
            if (quoted) {
                if (c == '\\' && i + 1 < s.length()) {
                    current.append(c).append(s.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                }
                current.append(c);
                continue;
            }
            if (depthParen > 0) {
                if (c == '(') {
                    depthParen++;
                } else if (c == ')') {
                    depthParen--;
                } else if (c == '\\' && i + 1 < s.length()) {
                    current.append(c).append(s.charAt(++i));
                    continue;
                }
                current.append(c);
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    current.append(c);
                }
                case '(' -> {
                    depthParen++;
                    current.append(c);
                }
                case '<' -> {
                    depthAngle++;
                    current.append(c);
                }
                case '>' -> {
                    depthAngle = Math.max(0, depthAngle - 1);
                    current.append(c);
                }
                case ',', ';' -> {
                    if (depthAngle == 0) {
                        entries.add(current.toString());
                        current.setLength(0);
                    } else {
                        current.append(c);
                    }
                }
                case ':' -> {
                    if (depthAngle == 0 && current.indexOf("@") < 0) {
                        current.setLength(0); // a group name
                    } else {
                        current.append(c);
                    }
                }
                default -> current.append(c);
            }
        }
        entries.add(current.toString());
        return entries;
    }

    private static MailAddress parseOne(String entry) {
        String e = entry.strip();
        if (e.isEmpty()) {
            return null;
        }
        int open = lastTopLevel(e, '<');
        if (open >= 0) {
            int close = e.indexOf('>', open);
            String address = (close < 0 ? e.substring(open + 1) : e.substring(open + 1, close)).strip();
            int route = address.indexOf(':');
            if (address.startsWith("@") && route > 0) {
                address = address.substring(route + 1);
            }
            String name = e.substring(0, open) + (close < 0 ? "" : " " + e.substring(close + 1));
            return new MailAddress(displayName(name), clean(address));
        }
        String comment = comments(e);
        String bare = withoutComments(e).strip();
        if (bare.indexOf('@') < 0) {
            return new MailAddress(displayName(e), "");
        }
        return new MailAddress(displayName(comment), clean(bare));
    }

    private static int lastTopLevel(String s, char target) {
        boolean quoted = false;
        int paren = 0;
        int found = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && (quoted || paren > 0)) {
                i++;
            } else if (quoted) {
                quoted = c != '"';
            } else if (c == '"' && paren == 0) {
                quoted = true;
            } else if (c == '(') {
                paren++;
            } else if (c == ')' && paren > 0) {
                paren--;
            } else if (c == target && paren == 0) {
                found = i;
            }
        }
        return found;
    }

    /** Decodes a display name: quotes and escapes removed, encoded words decoded, comments kept as text. */
    private static String displayName(String raw) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        String s = raw.strip();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else {
                out.append(c);
            }
        }
        String decoded =
                HeaderText.clean(HeaderText.decodeWords(out.toString())).strip();
        if (decoded.startsWith("(") && decoded.endsWith(")")) {
            decoded = decoded.substring(1, decoded.length() - 1).strip();
        }
        return SPACES.matcher(decoded).replaceAll(" ");
    }

    private static String comments(String s) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                if (depth > 0) {
                    out.append(c);
                }
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                if (depth > 0) {
                    out.append(c);
                } else {
                    out.append(' ');
                }
            } else if (depth > 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String withoutComments(String s) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                if (c == '"') {
                    quoted = !quoted;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String clean(String address) {
        return HeaderText.clean(address).replace(" ", "").replace("\"", "");
    }
}
