package org.sluice.mail;

import java.util.Objects;

/**
 * A body text of the message: a {@code text/plain}, {@code text/html} or {@code text/rtf} part that is not an
 * attachment, or the body of an Outlook or TNEF message.
 *
 * @param partPath where the part sits in the MIME tree ({@code "1.2"}); empty for a single-part message
 * @param contentType the media type in lower case, e.g. {@code text/html}
 * @param charset the charset the text was decoded with (as declared, or the fallback used), or empty
 * @param text the decoded text, as in the message (HTML markup kept for {@code text/html})
 * @param plainText the readable text: {@code text} for plain text, the rendered text for HTML and RTF
 */
public record TextPart(String partPath, String contentType, String charset, String text, String plainText) {

    public TextPart {
        partPath = partPath == null ? "" : partPath;
        Objects.requireNonNull(contentType, "contentType");
        charset = charset == null ? "" : charset;
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(plainText, "plainText");
    }

    /** True for an HTML body. */
    public boolean isHtml() {
        return contentType.equals("text/html");
    }
}
