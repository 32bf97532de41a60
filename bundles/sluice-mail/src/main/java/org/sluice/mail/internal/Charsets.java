package org.sluice.mail.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns bytes labelled with a MIME charset name into text, the way mail clients do: labels are matched loosely,
 * common mislabels map to the superset senders actually used (GB2312 to GB18030, ISO-8859-1 and US-ASCII to
 * windows-1252), UTF-7 is decoded although the JDK lacks it, and an unknown label falls back to UTF-8 when the bytes
 * are valid UTF-8 and windows-1252 otherwise.
 */
final class Charsets {

    /** windows-1252: every byte maps to some character, so it is the decoder of last resort. */
    static final Charset FALLBACK = Charset.forName("windows-1252");

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("utf8", "UTF-8"),
            Map.entry("gb2312", "GB18030"),
            Map.entry("gb_2312-80", "GB18030"),
            Map.entry("euc-cn", "GB18030"),
            Map.entry("x-euc-cn", "GB18030"),
            Map.entry("gbk", "GB18030"),
            Map.entry("cp936", "GB18030"),
            Map.entry("x-gbk", "GB18030"),
            Map.entry("ks_c_5601-1987", "x-windows-949"),
            Map.entry("ks_c_5601", "x-windows-949"),
            Map.entry("euc-kr", "x-windows-949"),
            Map.entry("iso-8859-8-i", "ISO-8859-8"),
            Map.entry("iso-8859-6-i", "ISO-8859-6"),
            Map.entry("iso-8859-1", "windows-1252"),
            Map.entry("latin1", "windows-1252"),
            Map.entry("us-ascii", "windows-1252"),
            Map.entry("ascii", "windows-1252"),
            Map.entry("ansi_x3.4-1968", "windows-1252"),
            Map.entry("shift-jis", "windows-31j"),
            Map.entry("shift_jis", "windows-31j"),
            Map.entry("x-sjis", "windows-31j"),
            Map.entry("cp1252", "windows-1252"),
            Map.entry("cp1251", "windows-1251"),
            Map.entry("cp1250", "windows-1250"));

    private static final String UTF7 = "utf-7";
    private static final int MAX_CACHED = 512;

    /** Lookups by normalised label: Charset.forName is slow, and slowest (an exception) for unknown names. */
    private static final ConcurrentMap<String, Optional<Charset>> CACHE = new ConcurrentHashMap<>();

    private Charsets() {}

    /** The result of decoding: the text and the charset name actually used. */
    record Decoded(String text, String charset, boolean known) {}

    /**
     * Decodes {@code bytes} labelled {@code label} (may be null or empty: then UTF-8 if valid, else the fallback).
     * Never throws; malformed sequences become U+FFFD.
     */
    static Decoded decode(byte[] bytes, String label) {
        String name = normalize(label);
        if (name.isEmpty()) {
            return guess(bytes);
        }
        if (name.equals(UTF7)
                || name.equals("unicode-1-1-utf-7")
                || name.equals("x-utf-7")
                || name.equals("csunicode11utf7")) {
            return new Decoded(Utf7.decode(bytes), "UTF-7", true);
        }
        Charset charset = lookup(name);
        if (charset == null) {
            Decoded guessed = guess(bytes);
            return new Decoded(guessed.text(), guessed.charset(), false);
        }
        if (charset.equals(FALLBACK) && isUtf8(bytes) && hasHighBytes(bytes)) {
            // Declared ASCII or Latin-1 yet valid multi-byte UTF-8: the label is wrong, as is common.
            return new Decoded(new String(bytes, StandardCharsets.UTF_8), "UTF-8", true);
        }
        return new Decoded(new String(bytes, charset), charset.name(), true);
    }

    /** The Java charset for a MIME label, or null when the platform does not know it (UTF-7 included). */
    static Charset lookup(String label) {
        String name = normalize(label);
        if (name.isEmpty()) {
            return null;
        }
        Optional<Charset> cached = CACHE.get(name);
        if (cached != null) {
            return cached.orElse(null);
        }
        String alias = ALIASES.get(name);
        Charset charset;
        try {
            charset = Charset.forName(alias != null ? alias : name);
        } catch (IllegalArgumentException e) {
            charset = null;
        }
        // Labels are attacker-chosen: the cache stops growing at a size no honest mail stream reaches.
        if (CACHE.size() < MAX_CACHED) {
            CACHE.put(name, Optional.ofNullable(charset));
        }
        return charset;
    }

    /** True when the label names a charset this class can decode. */
    static boolean isKnown(String label) {
        String name = normalize(label);
        return name.equals(UTF7) || name.equals("unicode-1-1-utf-7") || name.equals("x-utf-7") || lookup(name) != null;
    }

    /** UTF-8 when the bytes are valid UTF-8, the fallback otherwise. */
    static Decoded guess(byte[] bytes) {
        if (isUtf8(bytes)) {
            return new Decoded(new String(bytes, StandardCharsets.UTF_8), "UTF-8", true);
        }
        return new Decoded(new String(bytes, FALLBACK), FALLBACK.name(), true);
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static boolean hasHighBytes(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String label) {
        if (label == null) {
            return "";
        }
        String s = label.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        // RFC 2231 allows a language suffix on charsets in encoded words: utf-8*en.
        int star = s.indexOf('*');
        if (star >= 0) {
            s = s.substring(0, star);
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
