package org.sluice.mail.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * Media type of content from its first bytes only (Apache Tika's magic-number database), never from a file name or a
 * declared type, so a renamed executable still shows as one. Container formats are reported as the container
 * (a .docx is a zip with an OOXML marker, which Tika's magic names {@code application/x-tika-ooxml}).
 */
final class TypeSniffer {

    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes(MimeTypes.class.getClassLoader());

    private TypeSniffer() {}

    /** The detected media type in lower case without parameters; {@code application/octet-stream} when unknown. */
    static String detect(byte[] content) {
        if (content.length == 0) {
            return "application/x-empty";
        }
        try {
            MediaType type = TYPES.detect(new ByteArrayInputStream(content), new Metadata());
            return type.getBaseType().toString();
        } catch (IOException | RuntimeException e) {
            return "application/octet-stream";
        }
    }

    /** True for a Compound File Binary (OLE2) container, the format of Outlook .msg and old Office files. */
    static boolean isCompoundFile(byte[] b) {
        return b.length >= 8
                && (b[0] & 0xFF) == 0xD0
                && (b[1] & 0xFF) == 0xCF
                && (b[2] & 0xFF) == 0x11
                && (b[3] & 0xFF) == 0xE0
                && (b[4] & 0xFF) == 0xA1
                && (b[5] & 0xFF) == 0xB1
                && (b[6] & 0xFF) == 0x1A
                && (b[7] & 0xFF) == 0xE1;
    }

    /** True for a TNEF stream (signature 0x223E9F78, little-endian). */
    static boolean isTnef(byte[] b) {
        return b.length >= 4
                && (b[0] & 0xFF) == 0x78
                && (b[1] & 0xFF) == 0x9F
                && (b[2] & 0xFF) == 0x3E
                && (b[3] & 0xFF) == 0x22;
    }
}
