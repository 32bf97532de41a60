package org.sluice.mail.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parser of structured MIME header values with parameters ({@code Content-Type}, {@code Content-Disposition}).
 *
 * <p>RFC 2231 parameters are assembled the way the RFC means: the sections of a continued parameter
 * ({@code name*0*=utf-8''%E2%82, name*1*=%AC.pdf}) are put in order and joined as <em>bytes</em>, and only then
 * decoded with the charset named in section 0, so a character split across sections survives. A plain value that
 * holds RFC 2047 encoded words (as many mailers write file names) is decoded too. Lenient by design: unquoted values
 * with spaces, missing semicolons before the first parameter and unterminated quotes are accepted.
 */
final class MimeParams {

    /** A parsed value: the main value in lower case and the parameters by lower-case name, decoded. */
    record Parsed(String value, Map<String, String> params) {

        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    private MimeParams() {}

    static Parsed parse(String unfolded) {
        String s = unfolded == null ? "" : unfolded;
        int i = 0;
        int n = s.length();
        while (i < n && s.charAt(i) != ';') {
            i++;
        }
        String value = stripComment(s.substring(0, i)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> raw = new LinkedHashMap<>();
        while (i < n) {
            while (i < n && (s.charAt(i) == ';' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ';') {
                i++;
            }
            String name = s.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
            if (i >= n || s.charAt(i) == ';') {
                continue;
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        i++;
                        c = s.charAt(i);
                    }
                    v.append(c);
                    i++;
                }
                i++;
                while (i < n && s.charAt(i) != ';') {
                    i++;
                }
            } else {
                while (i < n && s.charAt(i) != ';') {
                    v.append(s.charAt(i));
                    i++;
                }
            }
            if (!name.isEmpty() && !raw.containsKey(name)) {
                raw.put(name, v.toString().strip());
            }
        }
        return new Parsed(value, assemble(raw));
    }

    /** Joins RFC 2231 sections and decodes every value. */
    private static Map<String, String> assemble(Map<String, String> raw) {
        Map<String, TreeMap<Integer, String[]>> sectioned = new LinkedHashMap<>();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String name = e.getKey();
            boolean extended = name.endsWith("*");
            String bare = extended ? name.substring(0, name.length() - 1) : name;
            int star = bare.indexOf('*');
            String base = star < 0 ? bare : bare.substring(0, star);
            int section = 0;
            if (star >= 0) {
                try {
                    section = Integer.parseInt(bare.substring(star + 1));
                } catch (NumberFormatException ex) {
                    continue;
                }
            } else if (!extended) {
                out.putIfAbsent(base, HeaderText.clean(HeaderText.decodeWords(e.getValue())));
                continue;
            }
            sectioned
                    .computeIfAbsent(base, k -> new TreeMap<>())
                    .put(section, new String[] {e.getValue(), extended ? "*" : ""});
        }
        for (Map.Entry<String, TreeMap<Integer, String[]>> e : sectioned.entrySet()) {
            // An RFC 2231 value wins over a plain one of the same name: it is the one meant to be exact.
            out.put(e.getKey(), HeaderText.clean(joinSections(e.getValue())));
        }
        return out;
    }

    private static String joinSections(TreeMap<Integer, String[]> sections) {
        String charset = "";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (String[] section : sections.values()) {
            String text = section[0];
            boolean extended = !section[1].isEmpty();
            if (extended && first) {
                int q1 = text.indexOf('\'');
                int q2 = q1 < 0 ? -1 : text.indexOf('\'', q1 + 1);
                if (q2 > 0) {
                    charset = text.substring(0, q1);
                    text = text.substring(q2 + 1);
                }
            }
            if (extended) {
                percentDecode(text, bytes);
            } else {
                bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            }
            first = false;
        }
        return Charsets.decode(bytes.toByteArray(), charset).text();
    }

    private static void percentDecode(String text, ByteArrayOutputStream out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%'
                    && i + 2 < text.length()
                    && HeaderText.hex(text.charAt(i + 1)) >= 0
                    && HeaderText.hex(text.charAt(i + 2)) >= 0) {
                out.write(HeaderText.hex(text.charAt(i + 1)) * 16 + HeaderText.hex(text.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String stripComment(String s) {
        int paren = s.indexOf('(');
        return paren < 0 ? s : s.substring(0, paren);
    }
}
