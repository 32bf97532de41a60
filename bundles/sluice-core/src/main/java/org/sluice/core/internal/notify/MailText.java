package org.sluice.core.internal.notify;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes text taken from attacker-made mail safe to place in a notification: one line without control characters,
 * bounded in length, and with every URL, {@code www.} host name and e-mail address defanged ({@code
 * hxxps://evil[.]example/}, {@code desk@evil[.]example}) so that no mail client turns it into a link. HTML escaping
 * is the template engine's job; this class keeps values inert in
 * plain text and headers too.
 */
final class MailText {

    /** A URL with a scheme, or a host name starting with {@code www.}. */
    private static final Pattern URL =
            Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]{1,15}://[^\\s<>\"'`]+|www\\.[^\\s<>\"'`]+)");

    /** An e-mail address; mail clients turn these into mailto links. */
    private static final Pattern ADDRESS =
            Pattern.compile("(?i)([a-z0-9!#$%&'*+/=?^_`{|}~.-]+)@([a-z0-9-]+(?:\\.[a-z0-9-]+)+)");

    private static final Pattern SCHEME = Pattern.compile("(?i)^([a-z][a-z0-9+.-]{1,15})://");

    /** The longest single-line value kept; longer ones are cut with an ellipsis. */
    static final int MAX_LINE = 500;

    private MailText() {}

    /**
     * One line: CR, LF and every other control character become a space, runs of white space collapse, the ends are
     * trimmed and the length is bounded.
     */
    static String line(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_LINE + 1));
        boolean space = false;
        for (int i = 0; i < value.length() && out.length() <= MAX_LINE; i++) {
            char c = value.charAt(i);
            boolean blank = Character.isWhitespace(c)
                    || Character.isISOControl(c)
                    || c == '\u2028'
                    || c == '\u2029'
                    || c == '\u0085';
            if (blank) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        if (out.length() > MAX_LINE) {
            out.setLength(MAX_LINE);
            out.append('\u2026');
        }
        return out.toString();
    }

    /** A line from mail with its URLs defanged. */
    static String mailLine(String value) {
        return defangAll(line(value));
    }

    /**
     * Defangs every URL, {@code www.} host name and e-mail address in a text: addresses keep their local part and
     * lose the dots of their domain ({@code desk@phish[.]example}), so that no client offers them as mailto links.
     */
    static String defangAll(String text) {
        Matcher matcher = URL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(defang(matcher.group(1))));
        }
        matcher.appendTail(out);
        Matcher address = ADDRESS.matcher(out.toString());
        StringBuilder result = new StringBuilder();
        while (address.find()) {
            String replaced = address.group(1) + "@" + address.group(2).replace(".", "[.]");
            address.appendReplacement(result, Matcher.quoteReplacement(replaced));
        }
        address.appendTail(result);
        return result.toString();
    }

    /**
     * Defangs one URL: the scheme loses its meaning ({@code http} becomes {@code hxxp}, any other scheme gets
     * {@code [:]} in place of its colon) and every dot of the host becomes {@code [.]}.
     */
    static String defang(String url) {
        String rest = url;
        String scheme = "";
        Matcher matcher = SCHEME.matcher(url);
        if (matcher.find()) {
            String name = matcher.group(1);
            String lower = name.toLowerCase(Locale.ROOT);
            scheme = lower.startsWith("http") ? "hxxp" + name.substring(4) + "://" : name + "[:]//";
            rest = url.substring(matcher.end());
        }
        int end = rest.length();
        for (char stop : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String host = rest.substring(0, end).replace(".", "[.]");
        return scheme + host + rest.substring(end);
    }
}
