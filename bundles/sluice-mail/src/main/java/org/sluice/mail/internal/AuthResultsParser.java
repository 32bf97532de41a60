package org.sluice.mail.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.sluice.mail.AuthResult;
import org.sluice.mail.AuthenticationResults;

/**
 * Parser of {@code Authentication-Results} (RFC 8601), {@code ARC-Authentication-Results} (RFC 8617) and
 * {@code Received-SPF} (RFC 7208) values. Comments are dropped; quoted values are unquoted. Lenient where servers
 * are sloppy: results not separated by semicolons are still split at each new {@code method=result}.
 */
final class AuthResultsParser {

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private AuthResultsParser() {}

    static AuthenticationResults parse(String headerName, String value) {
        List<String> segments = splitSemicolons(stripComments(value));
        int instance = 0;
        int index = 0;
        if (headerName.equalsIgnoreCase("ARC-Authentication-Results") && !segments.isEmpty()) {
            String first = segments.get(0).strip();
            if (first.toLowerCase(Locale.ROOT).startsWith("i=")) {
                instance = parseInt(first.substring(2).strip());
                index = 1;
            }
        }
        String authservId = "";
        if (index < segments.size()) {
            String[] words = SPACES.split(segments.get(index).strip());
            if (words[0].indexOf('=') < 0) {
                authservId = words[0];
                index++;
            }
        }
        List<AuthResult> results = new ArrayList<>();
        for (int i = index; i < segments.size(); i++) {
            parseResults(segments.get(i), results);
        }
        return new AuthenticationResults(headerName, instance, authservId, results);
    }

    static AuthenticationResults parseReceivedSpf(String value) {
        String plain = stripComments(value).strip();
        int space = plain.indexOf(' ');
        String result = (space < 0 ? plain : plain.substring(0, space)).replace(";", "");
        Map<String, String> properties = new LinkedHashMap<>();
        if (space > 0) {
            for (String segment : splitSemicolons(plain.substring(space + 1))) {
                for (String[] pair : pairs(segment)) {
                    properties.putIfAbsent(pair[0].toLowerCase(Locale.ROOT), pair[1]);
                }
            }
        }
        List<AuthResult> results =
                result.isEmpty() ? List.of() : List.of(new AuthResult("spf", result, "", properties));
        return new AuthenticationResults("Received-SPF", 0, "", results);
    }

    /** Method names (RFC 8601 registry and common vendor ones) that start a new result inside a segment. */
    private static final Set<String> METHODS = Set.of(
            "spf",
            "dkim",
            "dmarc",
            "arc",
            "iprev",
            "auth",
            "sender-id",
            "dkim-adsp",
            "dkim-atps",
            "domainkeys",
            "rrvs",
            "smime",
            "vbr",
            "bimi",
            "compauth",
            "dnswl",
            "ptr");

    private static void parseResults(String segment, List<AuthResult> results) {
        String method = null;
        String result = "";
        String reason = "";
        Map<String, String> properties = new LinkedHashMap<>();
        for (String[] pair : pairs(segment)) {
            String key = pair[0].toLowerCase(Locale.ROOT);
            int slash = key.indexOf('/');
            String bare = slash < 0 ? key : key.substring(0, slash);
            boolean startsResult = method == null || METHODS.contains(bare) || bare.startsWith("x-");
            if (key.equals("reason") && method != null) {
                reason = pair[1];
            } else if (!startsResult) {
                // ptype.property=value, or a vendor extra such as Microsoft's action=none
                properties.putIfAbsent(key, pair[1]);
            } else {
                if (method != null) {
                    results.add(new AuthResult(method, result, reason, properties));
                    reason = "";
                    properties = new LinkedHashMap<>();
                }
                method = bare;
                result = pair[1];
            }
        }
        if (method != null && !method.isEmpty()) {
            results.add(new AuthResult(method, result, reason, properties));
        }
    }

    /** The {@code key=value} pairs of a segment; quoted values unquoted; a bare word is skipped. */
    private static List<String[]> pairs(String segment) {
        List<String[]> out = new ArrayList<>();
        String s = segment.strip();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int keyStart = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(keyStart, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '=') {
                continue;
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    value.append(s.charAt(i++));
                }
            }
            if (!key.isEmpty()) {
                out.add(new String[] {key, value.toString()});
            }
        }
        return out;
    }

    private static String stripComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (depth == 0 && c == '"') {
                quoted = !quoted;
            }
            if (!quoted && c == '(') {
                depth++;
                continue;
            }
            if (!quoted && c == ')' && depth > 0) {
                depth--;
                out.append(' ');
                continue;
            }
            if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> splitSemicolons(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString());
        }
        return out;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
