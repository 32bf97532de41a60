package org.sluice.rules;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a rule condition can read: plain data only (maps, lists, strings, numbers, booleans), never objects with
 * behaviour. Names are lower-case with underscores. Text values are decoded (no encoded words, no CR or LF); domains
 * and addresses are lower-case. A fact that a message does not have is absent (reads as {@code null}) or an empty list.
 *
 * <pre>
 * subject        the decoded subject
 * sender         {address, name, domain, root_domain}  the From header's first address
 * return_path    {address, domain}                 the Return-Path
 * reply_to       [{address, name, domain, root_domain}]
 * recipients     [{address, name, domain, root_domain}]  To and Cc
 * auth           {spf, dkim, dmarc, arc}           results from Authentication-Results ("pass", "fail", "none"...)
 * headers        {lower-case name: [values]}       every header, repeated ones kept in order
 * body           {text, html}                      the plain text, and the text of the HTML part
 * urls           [{url, scheme, host, domain, path, text, obfuscated, wrapped}]  links a reader can follow; domain
 *                is the registrable domain, text the anchor text, wrapped: unwrapped from a safe-link rewriter
 * attachments    [{name, extension, content_type, type, size, sha256, md5, message}]  type is sniffed from the
 *                content; message: a nested e-mail (its own parts are listed too)
 * reporter       {address, domain, authenticated}  who reported it, when it came through CLEAR
 * lists          {name: [values]}                  named lists (internal_domains, freemail, url_shorteners,
 *                free_hosting, brand_names...)
 * </pre>
 *
 * <p>Functions: {@code any(list, x -> cond)}, {@code all(list, x -> cond)}, {@code count(list, x -> cond)}, {@code
 * lower(text)}, {@code letters(text)} (lower-case letters and digits only), {@code contains(text, part)}
 * (case-insensitive), {@code matches(text, regex)} (case-insensitive, finds anywhere, time-bounded), {@code
 * in_domains(domain, list)} (the domain or a subdomain of one in the list), {@code is_ip(host)}. Operators: {@code ==
 * != < > && || !}, {@code =~} (in a list, or matches a whole regex), {@code =^} (starts with), {@code =$} (ends with),
 * {@code empty(x)}, {@code size(x)}.
 */
public final class Facts {

    /** The names a condition may start from; any other name is refused when the ruleset is loaded. */
    public static final Set<String> ROOTS = Set.of(
            "subject",
            "sender",
            "return_path",
            "reply_to",
            "recipients",
            "auth",
            "headers",
            "body",
            "urls",
            "attachments",
            "reporter",
            "lists");

    /**
     * What each root reads as when a message lacks it: an empty text, map or list, so that conditions read absent facts
     * as absent ({@code reporter.authenticated} is {@code null}) instead of failing.
     */
    public static final Map<String, Object> EMPTY = Map.ofEntries(
            Map.entry("subject", ""),
            Map.entry("sender", Map.of()),
            Map.entry("return_path", Map.of()),
            Map.entry("reply_to", List.of()),
            Map.entry("recipients", List.of()),
            Map.entry("auth", Map.of()),
            Map.entry("headers", Map.of()),
            Map.entry("body", Map.of()),
            Map.entry("urls", List.of()),
            Map.entry("attachments", List.of()),
            Map.entry("reporter", Map.of()),
            Map.entry("lists", Map.of()));

    private Facts() {}
}
