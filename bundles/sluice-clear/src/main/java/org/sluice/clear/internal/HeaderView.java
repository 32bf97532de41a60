package org.sluice.clear.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.sluice.api.clear.ClearAnalysis.Header;
import org.sluice.mail.HeaderField;

/**
 * The header fields of a message for analysts (SPEC C6), as pure functions: the prioritized fields first, in the order
 * the setting names them (each name's fields in message order), then every other field in message order; and the
 * raw header block for download.
 */
final class HeaderView {

    /** The most bytes of a header block served; the mail parser refuses longer headers anyway. */
    static final int MAX_BLOCK = 4 << 20;

    private HeaderView() {}

    static List<Header> order(List<HeaderField> fields, List<String> prioritized) {
        List<Header> out = new ArrayList<>();
        boolean[] taken = new boolean[fields.size()];
        for (String name : prioritized) {
            for (int i = 0; i < fields.size(); i++) {
                if (!taken[i] && fields.get(i).is(name)) {
                    taken[i] = true;
                    out.add(new Header(fields.get(i).name(), fields.get(i).value(), i, true));
                }
            }
        }
        for (int i = 0; i < fields.size(); i++) {
            if (!taken[i]) {
                out.add(new Header(fields.get(i).name(), fields.get(i).value(), i, false));
            }
        }
        return out;
    }

    /**
     * The header block of a MIME message as stored: every byte before the first empty line (CRLF or LF line ends),
     * that line's break included; the whole message when it has no body; at most {@link #MAX_BLOCK} bytes.
     */
    static byte[] rawBlock(byte[] message) {
        int end = Math.min(message.length, MAX_BLOCK);
        for (int i = 0; i < end; i++) {
            if (message[i] != '\n') {
                continue;
            }
            if (i + 1 < message.length && message[i + 1] == '\n') {
                end = i + 1;
                break;
            }
            if (i + 2 < message.length && message[i + 1] == '\r' && message[i + 2] == '\n') {
                end = i + 1;
                break;
            }
        }
        byte[] out = new byte[end];
        System.arraycopy(message, 0, out, 0, end);
        return out;
    }

    /** The fields written out one per line, {@code Name: raw value}, for messages with no separable header block. */
    static byte[] written(List<HeaderField> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (HeaderField field : fields) {
            String raw = field.raw().isEmpty() ? field.value() : field.raw();
            String line = field.name() + ":" + (raw.startsWith(" ") || raw.startsWith("\t") ? "" : " ") + raw;
            if (out.size() + line.length() > MAX_BLOCK) {
                break;
            }
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
