package org.sluice.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sluice.mail.Attachment;
import org.sluice.mail.AuthResult;
import org.sluice.mail.ExtractedUrl;
import org.sluice.mail.HeaderField;
import org.sluice.mail.MailAddress;
import org.sluice.mail.ParsedMessage;
import org.sluice.mail.TextPart;
import org.sluice.mail.UrlSource;

/**
 * Turns a parsed message into the plain facts rule conditions read ({@link Facts}). Authentication results are the
 * topmost of each method, the ones the receiving organisation's own border added; links are those a reader can follow
 * (text, {@code href}, form actions and other navigations), not embedded images. Domains of links are registrable
 * domains approximated without a public-suffix list: the last two labels, or three under a two-letter country code
 * with a common second level ({@code example.co.uk}).
 */
public final class MessageFacts {

    private static final Set<String> SECOND_LEVELS = Set.of("co", "com", "net", "org", "gov", "ac", "edu", "ne", "or");

    private MessageFacts() {}

    /**
     * The facts of a message.
     *
     * @param message the parsed message
     * @param reporter who reported it ({@code address}, {@code authenticated}), or {@code null}
     * @param lists named lists the organisation configures ({@code internal_domains}), added to the shipped ones
     */
    public static Map<String, Object> of(
            ParsedMessage message, Map<String, Object> reporter, Map<String, List<String>> lists) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("subject", message.subject() == null ? "" : message.subject());
        facts.put("sender", message.fromAddress().map(MessageFacts::address).orElse(Map.of()));
        facts.put("return_path", message.returnPath() == null ? Map.of() : address(message.returnPath()));
        facts.put(
                "reply_to",
                message.replyTo().stream().map(MessageFacts::address).toList());
        List<Map<String, Object>> recipients = new ArrayList<>();
        message.to().forEach(a -> recipients.add(address(a)));
        message.cc().forEach(a -> recipients.add(address(a)));
        facts.put("recipients", recipients);
        facts.put("auth", auth(message));
        facts.put("headers", headers(message));
        facts.put("body", body(message));
        facts.put("urls", urls(message));
        facts.put("attachments", attachments(message));
        facts.put("reporter", reporter == null ? Map.of() : reporter);
        facts.put("lists", lists == null ? Map.of() : lists);
        return facts;
    }

    private static Map<String, Object> address(MailAddress address) {
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("address", lower(address.address()));
        fact.put("name", address.displayName() == null ? "" : address.displayName());
        String domain = lower(address.domain());
        fact.put("domain", domain);
        fact.put("root_domain", rootDomain(domain));
        return fact;
    }

    private static Map<String, Object> auth(ParsedMessage message) {
        Map<String, Object> auth = new LinkedHashMap<>();
        for (String method : List.of("spf", "dkim", "dmarc", "arc")) {
            List<AuthResult> results = message.authResults(method);
            auth.put(method, results.isEmpty() ? "none" : lower(results.get(0).result()));
        }
        return auth;
    }

    private static Map<String, Object> headers(ParsedMessage message) {
        Map<String, Object> headers = new LinkedHashMap<>();
        for (HeaderField field : message.headers()) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>)
                    headers.computeIfAbsent(field.name().toLowerCase(Locale.ROOT), n -> new ArrayList<String>());
            values.add(field.value());
        }
        return headers;
    }

    private static Map<String, Object> body(ParsedMessage message) {
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (TextPart part : message.textParts()) {
            StringBuilder target = part.isHtml() ? html : text;
            if (!target.isEmpty()) {
                target.append("\n\n");
            }
            target.append(part.plainText());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text.isEmpty() ? html.toString() : text.toString());
        body.put("html", html.toString());
        return body;
    }

    private static List<Map<String, Object>> urls(ParsedMessage message) {
        List<Map<String, Object>> urls = new ArrayList<>();
        for (ExtractedUrl url : message.allUrls()) {
            if (url.source() == UrlSource.HTML_SRC) {
                continue;
            }
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("url", url.url());
            int colon = url.url().indexOf(':');
            fact.put("scheme", colon > 0 ? lower(url.url().substring(0, colon)) : "");
            String host = lower(url.host());
            fact.put("host", host);
            fact.put("domain", rootDomain(host));
            fact.put("path", path(url.url()));
            fact.put("text", url.anchorText() == null ? "" : url.anchorText());
            fact.put("obfuscated", url.obfuscated());
            fact.put("wrapped", !url.wrappers().isEmpty());
            urls.add(fact);
        }
        return urls;
    }

    private static List<Map<String, Object>> attachments(ParsedMessage message) {
        List<Map<String, Object>> attachments = new ArrayList<>();
        for (Attachment attachment : message.allAttachments()) {
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("name", attachment.fileName() == null ? "" : attachment.fileName());
            fact.put("extension", lower(attachment.extension()));
            fact.put("content_type", lower(attachment.declaredType()));
            fact.put("type", lower(attachment.detectedType()));
            fact.put("size", attachment.size());
            fact.put("sha256", attachment.sha256());
            fact.put("md5", attachment.md5());
            fact.put("message", attachment.isMessage());
            attachments.add(fact);
        }
        return attachments;
    }

    /** The registrable domain of a host name, approximated (see the class description); IP literals unchanged. */
    static String rootDomain(String host) {
        if (host == null || host.isEmpty() || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return host == null ? "" : host;
        }
        String[] labels = host.split("\\.");
        if (labels.length <= 2) {
            return host;
        }
        int keep = labels[labels.length - 1].length() == 2 && SECOND_LEVELS.contains(labels[labels.length - 2]) ? 3 : 2;
        return String.join(".", List.of(labels).subList(labels.length - keep, labels.length));
    }

    private static String path(String url) {
        int start = url.indexOf("//");
        int slash = start >= 0 ? url.indexOf('/', start + 2) : -1;
        return slash >= 0 ? url.substring(slash) : "/";
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
