package org.sluice.mail.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decoding of header text: unfolding, RFC 2047 encoded words and control characters.
 *
 * <p>Adjacent encoded words in the same charset are joined as bytes before the charset decodes them, because senders
 * split multi-byte characters across words (a UTF-8 character whose first byte ends one word and whose other bytes
 * begin the next). White space between two encoded words is dropped, as RFC 2047 says. Text outside encoded words
 * is kept as it is (it may already hold raw UTF-8). CR, LF and other control characters are replaced by spaces, so a
 * decoded value can never break a header or a log line.
 */
final class HeaderText {

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?]*)\\?=");
    private static final Pattern FOLD = Pattern.compile("\\r?\\n(?=[ \\t])|\\r(?=[ \\t])");

    private HeaderText() {}

    /** Unfolds a raw value, decodes encoded words and removes control characters; the result is stripped. */
    static String decode(String raw) {
        String unfolded = unfold(raw);
        return clean(decodeWords(unfolded)).strip();
    }

    /** Removes folding (a line break before a blank); a value without line breaks is returned as it is. */
    static String unfold(String raw) {
        if (raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0) {
            return raw;
        }
        return FOLD.matcher(raw).replaceAll("");
    }

    /** Decodes the encoded words in {@code text}; everything else is kept. Unknown charsets keep the word as is. */
    static String decodeWords(String text) {
        if (text.indexOf("=?") < 0) {
            return text;
        }
        Matcher m = ENCODED_WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        String pendingCharset = null;
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (m.find()) {
            String between = text.substring(last, m.start());
            boolean adjacent = pendingCharset != null && between.isBlank();
            String charsetLabel = m.group(1);
            byte[] bytes = decodeWordBytes(m.group(2), m.group(3));
            Charset charset = Charsets.isKnown(charsetLabel) ? Charsets.lookup(charsetLabel) : null;
            boolean utf7 = charset == null && Charsets.isKnown(charsetLabel);
            if (bytes == null || (charset == null && !utf7)) {
                flush(out, pendingCharset, pending);
                pendingCharset = null;
                out.append(between).append(m.group());
                last = m.end();
                continue;
            }
            if (adjacent && pendingCharset.equalsIgnoreCase(charsetLabel)) {
                pending.writeBytes(bytes);
            } else {
                flush(out, pendingCharset, pending);
                if (!adjacent) {
                    out.append(between);
                }
                pendingCharset = charsetLabel;
                pending.reset();
                pending.writeBytes(bytes);
            }
            last = m.end();
        }
        flush(out, pendingCharset, pending);
        out.append(text, last, text.length());
        return out.toString();
    }

    private static void flush(StringBuilder out, String charset, ByteArrayOutputStream bytes) {
        if (charset == null) {
            return;
        }
        out.append(Charsets.decode(bytes.toByteArray(), charset).text());
        bytes.reset();
    }

    /** The bytes of one encoded word's text, or null when it is not decodable at all. */
    static byte[] decodeWordBytes(String encoding, String encoded) {
        if (encoding.equalsIgnoreCase("B")) {
            return lenientBase64(encoded);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '='
                    && i + 2 < encoded.length()
                    && hex(encoded.charAt(i + 1)) >= 0
                    && hex(encoded.charAt(i + 2)) >= 0) {
                out.write(hex(encoded.charAt(i + 1)) * 16 + hex(encoded.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** Base64 that ignores characters outside the alphabet and tolerates missing padding. */
    static byte[] lenientBase64(String encoded) {
        StringBuilder clean = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                clean.append(c);
            }
        }
        int rest = clean.length() % 4;
        if (rest == 1) {
            clean.setLength(clean.length() - 1);
        } else if (rest > 1) {
            clean.append("==", 0, 4 - rest);
        }
        try {
            return Base64.getDecoder().decode(clean.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** Replaces CR, LF, NUL and the other C0 controls (tab too) and DEL with a space. */
    static String clean(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, ' ');
            }
        }
        return out == null ? s : out.toString();
    }
}
