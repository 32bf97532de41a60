package org.sluice.connector.graph;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** Reads one header from the header block of raw RFC 5322 bytes, unfolding continuation lines. */
final class MimeHeaders {

    private MimeHeaders() {}

    /** The raw value of the first {@code Message-ID} header, or empty. */
    static Optional<String> messageId(byte[] raw) {
        return header(raw, "message-id");
    }

    static Optional<String> header(byte[] raw, String name) {
        int end = headerEnd(raw);
        String block = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = block.split("\r?\n");
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].toLowerCase(Locale.ROOT).startsWith(wanted)) {
                StringBuilder value = new StringBuilder(lines[i].substring(wanted.length()));
                while (i + 1 < lines.length && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"))) {
                    value.append(lines[++i]);
                }
                return Optional.of(value.toString().trim());
            }
        }
        return Optional.empty();
    }

    private static int headerEnd(byte[] raw) {
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] == '\n'
                    && (raw[i + 1] == '\n' || (raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n'))) {
                return i;
            }
        }
        return raw.length;
    }
}
