package org.sluice.mail.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes link-protection rewriting so rules see the real destination: Microsoft Defender Safe Links
 * ({@code *.safelinks.protection.outlook.com/?url=...}) and Proofpoint URL Defense in its three forms (v1 and v2
 * carry the target in the {@code u} parameter, v2 with {@code -} for {@code %} and {@code _} for {@code /}; v3 keeps
 * the target between {@code __} markers with some characters replaced by {@code *} and supplied, base64url-encoded,
 * after the {@code __;}). Wrappers inside wrappers are removed too, a few levels deep.
 */
final class UrlUnwrapper {

    /** The unwrapped URL and the wrappers removed, outermost first. */
    record Unwrapped(String url, List<String> wrappers) {}

    private static final int MAX_LEVELS = 5;
    private static final Pattern V3 = Pattern.compile("/v3/__(.+?)__;([^!]*)!");
    private static final String RUN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private UrlUnwrapper() {}

    static Unwrapped unwrap(String url) {
        List<String> wrappers = new ArrayList<>();
        String current = url;
        for (int level = 0; level < MAX_LEVELS; level++) {
            String host = UrlExtractor.hostOf(current);
            String path = pathOf(current);
            String next = null;
            String wrapper = null;
            if (host.endsWith(".safelinks.protection.outlook.com")) {
                next = queryParam(current, "url");
                wrapper = "safelinks";
            } else if (host.equals("urldefense.proofpoint.com") && path.startsWith("/v1/")) {
                next = queryParam(current, "u");
                wrapper = "proofpoint-v1";
            } else if (host.equals("urldefense.proofpoint.com") && path.startsWith("/v2/")) {
                String u = rawQueryParam(current, "u");
                next = u == null ? null : percentDecode(u.replace('-', '%').replace('_', '/'));
                wrapper = "proofpoint-v2";
            } else if ((host.equals("urldefense.com") || host.equals("urldefense.proofpoint.com"))
                    && path.startsWith("/v3/")) {
                next = decodeV3(current);
                wrapper = "proofpoint-v3";
            }
            if (next == null || next.isBlank()) {
                break;
            }
            wrappers.add(wrapper);
            current = next.strip();
        }
        return new Unwrapped(current, wrappers);
    }

    private static String decodeV3(String url) {
        Matcher m = V3.matcher(url);
        if (!m.find()) {
            return null;
        }
        String target = percentDecode(m.group(1));
        String padded = m.group(2);
        while (padded.length() % 4 != 0) {
            padded += "=";
        }
        String replacements;
        try {
            replacements = new String(Base64.getUrlDecoder().decode(padded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        StringBuilder out = new StringBuilder(target.length());
        int next = 0;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c != '*') {
                out.append(c);
                continue;
            }
            int count = 1;
            if (i + 2 < target.length() && target.charAt(i + 1) == '*') {
                int run = RUN_ALPHABET.indexOf(target.charAt(i + 2));
                if (run >= 0) {
                    count = run + 2;
                    i += 2;
                }
            }
            int end = replacements.offsetByCodePoints(
                    next, Math.min(count, replacements.codePointCount(next, replacements.length())));
            out.append(replacements, next, end);
            next = end;
        }
        return out.toString();
    }

    private static String pathOf(String url) {
        int scheme = url.indexOf("://");
        int start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (start < 0) {
            return "";
        }
        int end = start;
        while (end < url.length() && url.charAt(end) != '?' && url.charAt(end) != '#') {
            end++;
        }
        return url.substring(start, end).toLowerCase(Locale.ROOT);
    }

    private static String queryParam(String url, String name) {
        String raw = rawQueryParam(url, name);
        return raw == null ? null : percentDecode(raw);
    }

    private static String rawQueryParam(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equalsIgnoreCase(name)) {
                return eq < 0 ? "" : pair.substring(eq + 1);
            }
        }
        return null;
    }

    /** Percent-decoding as UTF-8; a {@code +} stays a plus sign (these wrappers encode spaces as %20). */
    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%'
                    && i + 2 < s.length()
                    && HeaderText.hex(s.charAt(i + 1)) >= 0
                    && HeaderText.hex(s.charAt(i + 2)) >= 0) {
                out.write(HeaderText.hex(s.charAt(i + 1)) * 16 + HeaderText.hex(s.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return Charsets.guess(out.toByteArray()).text();
    }
}
