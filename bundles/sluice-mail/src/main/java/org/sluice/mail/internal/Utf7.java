package org.sluice.mail.internal;

import java.util.Arrays;

/**
 * Decoder for UTF-7 (RFC 2152), which the JDK does not ship. Characters outside a shifted sequence stand for
 * themselves; {@code +} opens a sequence of modified base64 that encodes UTF-16 code units, closed by the first
 * character outside the base64 alphabet (a closing {@code -} is absorbed); {@code +-} is a literal plus sign.
 *
 * <p>Decoding is lenient, as for any mail input: a sequence whose leftover bits are not zero, or a lone surrogate,
 * yields U+FFFD in its place and decoding continues.
 */
final class Utf7 {

    private static final int[] BASE64 = new int[128];

    static {
        Arrays.fill(BASE64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = i;
        }
    }

    private Utf7() {}

    /** Decodes UTF-7 bytes; bytes above 0x7F (not valid in UTF-7) are taken as ISO-8859-1 characters. */
    static String decode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int c = bytes[i] & 0xFF;
            if (c != '+') {
                out.append((char) c);
                i++;
                continue;
            }
            i++;
            if (i < bytes.length && bytes[i] == '-') {
                out.append('+');
                i++;
                continue;
            }
            i = decodeShifted(bytes, i, out);
        }
        return out.toString();
    }

    /** Decodes one shifted sequence starting after its {@code +}; returns the index after it. */
    private static int decodeShifted(byte[] bytes, int start, StringBuilder out) {
        int bits = 0;
        int bitCount = 0;
        int i = start;
        StringBuilder units = new StringBuilder();
        while (i < bytes.length) {
            int c = bytes[i] & 0xFF;
            int v = c < 128 ? BASE64[c] : -1;
            if (v < 0) {
                break;
            }
            bits = (bits << 6) | v;
            bitCount += 6;
            if (bitCount >= 16) {
                bitCount -= 16;
                units.append((char) ((bits >>> bitCount) & 0xFFFF));
                bits &= (1 << bitCount) - 1;
            }
            i++;
        }
        appendChecked(units, out);
        // RFC 2152: the bits left over after the last full code unit must be fewer than 6 and all zero.
        if (bitCount >= 6 || (bits & ((1 << bitCount) - 1)) != 0) {
            out.append('\uFFFD');
        }
        if (i < bytes.length && bytes[i] == '-') {
            i++;
        }
        return i;
    }

    /** Appends UTF-16 code units, replacing unpaired surrogates with U+FFFD. */
    private static void appendChecked(CharSequence units, StringBuilder out) {
        for (int k = 0; k < units.length(); k++) {
            char ch = units.charAt(k);
            if (Character.isHighSurrogate(ch)
                    && k + 1 < units.length()
                    && Character.isLowSurrogate(units.charAt(k + 1))) {
                out.append(ch).append(units.charAt(k + 1));
                k++;
            } else if (Character.isSurrogate(ch)) {
                out.append('\uFFFD');
            } else {
                out.append(ch);
            }
        }
    }
}
