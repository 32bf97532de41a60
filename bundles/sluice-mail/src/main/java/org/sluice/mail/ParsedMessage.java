package org.sluice.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One analysed message: immutable, safe to share between threads. Lists are never null and keep the order of the
 * message; values absent from the message are empty strings or empty lists, and {@code null} only where documented.
 * Everything in it comes from the message and is attacker-controlled.
 *
 * <p>The flat accessors ({@link #attachments()}, {@link #urls()}) describe this message only; the {@code all...}
 * methods also descend into nested messages.
 *
 * @param format the container format it was read from
 * @param size the size of the input in bytes (before any limit cut it)
 * @param sha256 lower-case hex SHA-256 of the input bytes
 * @param headers every header field in the order of the message, repeated fields kept
 * @param subject the decoded subject, or empty
 * @param from the {@code From} mailboxes (usually one)
 * @param sender the {@code Sender} mailbox, or {@code null}
 * @param replyTo the {@code Reply-To} mailboxes
 * @param to the {@code To} mailboxes
 * @param cc the {@code Cc} mailboxes
 * @param returnPath the {@code Return-Path} (envelope sender as recorded by the final server), or {@code null}
 * @param messageId the {@code Message-ID} as written, angle brackets removed, or empty
 * @param dateText the {@code Date} header text, or empty
 * @param date the parsed {@code Date}, or {@code null} when absent or unparseable
 * @param received the {@code Received} headers, top (newest) first
 * @param authenticationResults the authentication-results headers, top first
 * @param textParts the body texts
 * @param urls the URLs in the body texts, de-duplicated by value and source
 * @param attachments the attachments, nested messages among them
 * @param findings limits hit and defects worked around, for this message and its parts (not nested messages)
 */
public record ParsedMessage(
        MessageFormat format,
        long size,
        String sha256,
        List<HeaderField> headers,
        String subject,
        List<MailAddress> from,
        MailAddress sender,
        List<MailAddress> replyTo,
        List<MailAddress> to,
        List<MailAddress> cc,
        MailAddress returnPath,
        String messageId,
        String dateText,
        Instant date,
        List<ReceivedHop> received,
        List<AuthenticationResults> authenticationResults,
        List<TextPart> textParts,
        List<ExtractedUrl> urls,
        List<Attachment> attachments,
        List<Finding> findings) {

    public ParsedMessage {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sha256, "sha256");
        headers = List.copyOf(headers);
        subject = subject == null ? "" : subject;
        from = List.copyOf(from);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        messageId = messageId == null ? "" : messageId;
        dateText = dateText == null ? "" : dateText;
        received = List.copyOf(received);
        authenticationResults = List.copyOf(authenticationResults);
        textParts = List.copyOf(textParts);
        urls = List.copyOf(urls);
        attachments = List.copyOf(attachments);
        findings = List.copyOf(findings);
    }

    /** Every field with this name (case-insensitive), in message order. */
    public List<HeaderField> headers(String name) {
        return headers.stream().filter(h -> h.is(name)).toList();
    }

    /** The decoded value of the first field with this name, if any. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.is(name)).map(HeaderField::value).findFirst();
    }

    /** The first {@code From} mailbox, if any. */
    public Optional<MailAddress> fromAddress() {
        return from.isEmpty() ? Optional.empty() : Optional.of(from.get(0));
    }

    /** Every method result of the given method ({@code spf}, {@code dkim}, {@code dmarc}, {@code arc}), top first. */
    public List<AuthResult> authResults(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        return authenticationResults.stream()
                .flatMap(a -> a.results().stream())
                .filter(r -> r.method().equals(m))
                .toList();
    }

    /** The readable text of every body part of this message, joined with blank lines. */
    public String bodyText() {
        return textParts.stream().map(TextPart::plainText).collect(Collectors.joining("\n\n"));
    }

    /** The attachments of this message and, depth first, of every nested message. */
    public List<Attachment> allAttachments() {
        List<Attachment> out = new ArrayList<>();
        for (Attachment a : attachments) {
            out.add(a);
            if (a.message() != null) {
                out.addAll(a.message().allAttachments());
            }
        }
        return List.copyOf(out);
    }

    /** The URLs of this message and of every nested message. */
    public List<ExtractedUrl> allUrls() {
        List<ExtractedUrl> out = new ArrayList<>(urls);
        for (Attachment a : attachments) {
            if (a.message() != null) {
                out.addAll(a.message().allUrls());
            }
        }
        return List.copyOf(out);
    }

    /** The distinct hosts of {@link #allUrls()}, lower case, in order of first appearance. */
    public Set<String> urlHosts() {
        return allUrls().stream()
                .map(ExtractedUrl::host)
                .filter(h -> !h.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The nested messages, direct children only. */
    public List<ParsedMessage> nestedMessages() {
        return attachments.stream()
                .map(Attachment::message)
                .filter(Objects::nonNull)
                .toList();
    }

    /** The findings of this message and of every nested message. */
    public List<Finding> allFindings() {
        List<Finding> out = new ArrayList<>(findings);
        for (ParsedMessage nested : nestedMessages()) {
            out.addAll(nested.allFindings());
        }
        return List.copyOf(out);
    }

    /** True when this message (not a nested one) has a finding of this kind. */
    public boolean has(FindingKind kind) {
        return findings.stream().anyMatch(f -> f.kind() == kind);
    }
}
