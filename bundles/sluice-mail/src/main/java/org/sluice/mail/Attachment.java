package org.sluice.mail;

import java.util.Locale;
import java.util.Objects;

/**
 * A part of the message that is not body text: a file, an inline image, a calendar invitation, a nested message.
 *
 * @param partPath where the part sits in the MIME tree ({@code "2"}, {@code "1.3"}); for Outlook and TNEF the
 *     attachment's index
 * @param fileName the decoded file name (RFC 2231 continuations joined, encoded words decoded), or empty
 * @param declaredType the media type the message declares, in lower case ({@code application/octet-stream} when none)
 * @param detectedType the media type sniffed from the content's first bytes (magic numbers), never from the name
 * @param disposition {@code attachment}, {@code inline} or empty, as declared
 * @param contentId the {@code Content-ID} without angle brackets, or empty
 * @param size the decoded size in bytes
 * @param sha256 lower-case hex SHA-256 of the decoded content
 * @param md5 lower-case hex MD5 of the decoded content
 * @param message the parsed nested message when this attachment is one ({@code message/rfc822}, an {@code .eml},
 *     {@code .msg} or TNEF file), else {@code null}; also {@code null} when the depth limit stopped parsing (see the
 *     findings)
 */
public record Attachment(
        String partPath,
        String fileName,
        String declaredType,
        String detectedType,
        String disposition,
        String contentId,
        long size,
        String sha256,
        String md5,
        ParsedMessage message) {

    public Attachment {
        partPath = partPath == null ? "" : partPath;
        fileName = fileName == null ? "" : fileName;
        Objects.requireNonNull(declaredType, "declaredType");
        Objects.requireNonNull(detectedType, "detectedType");
        disposition = disposition == null ? "" : disposition;
        contentId = contentId == null ? "" : contentId;
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(md5, "md5");
    }

    /** The file name's extension after the last dot, in lower case, or empty. */
    public String extension() {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 || dot == fileName.length() - 1
                ? ""
                : fileName.substring(dot + 1).toLowerCase(Locale.ROOT).strip();
    }

    /** True when this attachment is a parsed nested message. */
    public boolean isMessage() {
        return message != null;
    }
}
