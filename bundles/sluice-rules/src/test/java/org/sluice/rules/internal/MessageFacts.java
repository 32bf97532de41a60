package org.sluice.rules.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts of a plain, harmless-looking message from an outside sender (a supplier writing about a meeting, no links, no
 * files, authentication passing), which tests change one aspect at a time.
 */
final class MessageFacts {

    private final Map<String, Object> facts = new HashMap<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final List<Map<String, Object>> urls = new ArrayList<>();
    private final List<Map<String, Object>> attachments = new ArrayList<>();
    private final List<Map<String, Object>> replyTo = new ArrayList<>();

    MessageFacts() {
        facts.put("subject", "Agenda for Thursday");
        sender("Dana Supplier", "dana@supplier.example");
        facts.put("auth", new HashMap<>(Map.of("spf", "pass", "dkim", "pass", "dmarc", "pass", "arc", "none")));
        facts.put(
                "body", new HashMap<>(Map.of("text", "Hello, attached is nothing; see you on Thursday.", "html", "")));
        facts.put("headers", headers);
        facts.put("urls", urls);
        facts.put("attachments", attachments);
        facts.put("reply_to", replyTo);
        facts.put("recipients", List.of(address("", "pat@corp.example")));
        facts.put("lists", Map.of("internal_domains", List.of("corp.example")));
    }

    static Map<String, Object> address(String name, String address) {
        String domain = address.substring(address.indexOf('@') + 1);
        return Map.of("name", name, "address", address, "domain", domain, "root_domain", domain);
    }

    MessageFacts sender(String name, String address) {
        facts.put("sender", address(name, address));
        return this;
    }

    MessageFacts subject(String subject) {
        facts.put("subject", subject);
        return this;
    }

    MessageFacts body(String text) {
        facts.put("body", new HashMap<>(Map.of("text", text, "html", "")));
        return this;
    }

    @SuppressWarnings("unchecked")
    MessageFacts auth(String method, String result) {
        ((Map<String, Object>) facts.get("auth")).put(method, result);
        return this;
    }

    MessageFacts header(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    MessageFacts replyTo(String address) {
        replyTo.add(address("", address));
        return this;
    }

    MessageFacts url(String url, String host, String domain, String text) {
        urls.add(Map.of("url", url, "scheme", "https", "host", host, "domain", domain, "path", "/", "text", text));
        return this;
    }

    MessageFacts attachment(String name, String extension, String type, boolean nested) {
        attachments.add(Map.of(
                "name",
                name,
                "extension",
                extension,
                "content_type",
                "application/octet-stream",
                "type",
                type,
                "size",
                1234,
                "sha256",
                "00",
                "md5",
                "00",
                "message",
                nested));
        return this;
    }

    Map<String, Object> build() {
        return facts;
    }
}
