package org.sluice.mail.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sluice.mail.Attachment;
import org.sluice.mail.AuthenticationResults;
import org.sluice.mail.ExtractedUrl;
import org.sluice.mail.Finding;
import org.sluice.mail.FindingKind;
import org.sluice.mail.HeaderField;
import org.sluice.mail.MailAddress;
import org.sluice.mail.MessageFormat;
import org.sluice.mail.ParsedMessage;
import org.sluice.mail.ReceivedHop;
import org.sluice.mail.TextPart;

/** Collects the pieces of one message while it is being read; {@link #build()} makes the immutable model. */
final class MessageBuilder {

    final MessageFormat format;
    final long size;
    final String sha256;
    final List<HeaderField> headers = new ArrayList<>();
    String subject = "";
    List<MailAddress> from = List.of();
    MailAddress sender;
    List<MailAddress> replyTo = List.of();
    List<MailAddress> to = List.of();
    List<MailAddress> cc = List.of();
    MailAddress returnPath;
    String messageId = "";
    String dateText = "";
    Instant date;
    final List<ReceivedHop> received = new ArrayList<>();
    final List<AuthenticationResults> authResults = new ArrayList<>();
    final List<TextPart> textParts = new ArrayList<>();
    final List<Attachment> attachments = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();
    final UrlExtractor urls;

    MessageBuilder(MessageFormat format, byte[] input, Analysis analysis) {
        this.format = format;
        this.size = input.length;
        this.sha256 = Digests.sha256(input);
        this.urls = new UrlExtractor(analysis.limits.maxUrls());
    }

    void finding(FindingKind kind, String where, String detail) {
        findings.add(new Finding(kind, where, detail));
    }

    ParsedMessage build() {
        List<ExtractedUrl> found = urls.urls();
        if (urls.limitHit()) {
            finding(FindingKind.URL_LIMIT, "", "more than " + found.size() + " URLs; the rest were not kept");
        }
        return new ParsedMessage(
                format,
                size,
                sha256,
                headers,
                subject,
                from,
                sender,
                replyTo,
                to,
                cc,
                returnPath,
                messageId,
                dateText,
                date,
                received,
                authResults,
                textParts,
                found,
                attachments,
                findings);
    }
}
