package org.sluice.core.internal.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sluice.api.error.ValidationException;
import org.sluice.api.notify.NotificationService.Action;
import org.sluice.api.notify.NotificationService.AffectedMessage;
import org.sluice.api.notify.TemplateSet.Template;

class TemplateEngineTest {

    /** What an attacker puts in a phish: markup, script, handlers, template syntax, header injection and links. */
    static final AffectedMessage HOSTILE = new AffectedMessage(
            7,
            "Invoice <script>alert(1)</script> {{recipient.address}} <img src=x onerror=alert(2)>"
                    + "\r\nBcc: all@corp.example",
            "\"Bank <a href=\"https://evil.example/login\" onclick=\"x()\">Support</a>\" <support@evil.example>"
                    + "\nX-Evil: 1",
            Instant.parse("2026-12-01T10:15:00Z"),
            List.of("https://evil.example/login?u={{recipient.name}}", "http://www.evil.example/a.b"));

    private static final Path DEFAULTS = Path.of("../sluice-templates-default/src/main/resources/templates");

    @Test
    void theSocDigestSaysHowManyChangesItLeftOut() throws Exception {
        Template digest = new Template(
                "{{count}} changes",
                java.nio.file.Files.readString(DEFAULTS.resolve("soc-digest.txt")),
                java.nio.file.Files.readString(DEFAULTS.resolve("soc-digest.html")));
        Map<String, Object> model = new java.util.HashMap<>();
        model.put("changes", List.of());
        model.put("count", "40");
        model.put("omitted", "15");
        model.put("since", "2026-12-04 10:00 UTC");
        TemplateEngine.Rendered out = TemplateEngine.render(digest, model, "Sluice Threat Response");
        assertTrue(out.text().contains("... and 15 more."), out.text());
        assertTrue(out.html().contains("... and 15 more."), out.html());

        model.put("omitted", "");
        TemplateEngine.Rendered none = TemplateEngine.render(digest, model, "Sluice Threat Response");
        assertFalse(none.text().contains("more."), none.text());
    }

    @Test
    void hostileValuesAreEscapedDefangedAndNotEvaluated() {
        Template template = new Template(
                "Removed: {{message.subject}}",
                "{{#messages}}{{subject}} / {{sender}}{{#urls}} {{url}}{{/urls}}\n{{/messages}}",
                "<ul>{{#messages}}<li>{{subject}} {{sender}}{{#urls}} {{url}}{{/urls}}</li>{{/messages}}</ul>");
        Map<String, Object> model =
                Models.userNotice(Action.QUARANTINE, "alice@corp.example", null, List.of(HOSTILE), List.of(7L));
        TemplateEngine.Rendered out = TemplateEngine.render(template, model, "Sluice Threat Response");

        assertFalse(out.subject().contains("\r") || out.subject().contains("\n"), out.subject());
        assertTrue(out.subject().startsWith("Sluice Threat Response: Removed: Invoice"), out.subject());
        assertTrue(out.subject().contains("{{recipient.address}}"), "template syntax in a value stays text");

        String html = out.html();
        assertFalse(html.toLowerCase().contains("<script"), html);
        assertFalse(
                Pattern.compile("<[^>]*\\son\\w+\\s*=", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                html);
        assertFalse(html.contains("<a "), html);
        assertFalse(html.contains("https://evil") || html.contains("http://"), html);
        assertTrue(html.contains("hxxps://evil[.]example/login"), html);
        assertTrue(html.contains("hxxp://www[.]evil[.]example/a.b"), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
        assertTrue(html.contains("support@evil[.]example"), html);
        assertFalse(html.contains("all@corp.example"), "addresses from mail are defanged too: " + html);
        assertTrue(html.contains("{{recipient.address}}"), "not evaluated");
        assertFalse(html.contains("alice@corp.example"), "the value's template syntax must not reach the model");

        assertFalse(out.text().contains("https://evil"), out.text());
        assertFalse(out.text().contains("\nBcc:") || out.text().contains("\nX-Evil"), out.text());
    }

    @Test
    void emptyPrefixLeavesACleanSubject() {
        Template template = new Template("A message was removed", "x", null);
        assertEquals(
                "A message was removed",
                TemplateEngine.render(template, Map.of(), "").subject());
        assertEquals(
                "P: A message was removed",
                TemplateEngine.render(template, Map.of(), "P").subject());
        assertNull(TemplateEngine.render(template, Map.of(), "").html());
    }

    @Test
    void editedTemplatesCannotReachIntoObjectsOrBypassEscaping() {
        Template reflective = new Template("{{message.subject.length}}{{message.subject.class}}", "x", null);
        Map<String, Object> model =
                Models.userNotice(Action.UNDO, "bob@corp.example", "Bob", List.of(HOSTILE), List.of(7L));
        assertEquals("", TemplateEngine.render(reflective, model, "").subject());

        for (String bad : List.of("{{{message.subject}}}", "{{& message.subject}}", "{{=<% %>=}}", "{{> other}}")) {
            ValidationException e = assertThrows(
                    ValidationException.class,
                    () -> TemplateEngine.validate(new Template("s", "ok", "line1\n" + bad), null));
            assertTrue(e.getMessage().startsWith("html: line 2:"), e.getMessage());
        }
        ValidationException unclosed = assertThrows(
                ValidationException.class,
                () -> TemplateEngine.validate(new Template("s", "{{#messages}}x", null), null));
        assertTrue(unclosed.getMessage().startsWith("text: template syntax"), unclosed.getMessage());
    }

    @Test
    void abuseFeedbackModelNamesTheActionAndEveryFeedbackTemplateRendersItsVerdict() throws IOException {
        Map<String, Object> model =
                Models.userNotice(Action.ABUSE_FEEDBACK, "rita@corp.example", null, List.of(HOSTILE), List.of(7L));
        model.put("disposition", Map.of("name", "low risk"));
        Template probe = new Template(
                "{{action.name}} {{#action.feedback}}yes{{/action.feedback}}"
                        + "{{^action.quarantine}} no{{/action.quarantine}}",
                "{{disposition.name}}",
                null);
        TemplateEngine.validate(
                probe, Placeholders.of("abuse-feedback-low-risk").orElseThrow());
        TemplateEngine.Rendered rendered = TemplateEngine.render(probe, model, "");
        assertEquals("abuse-feedback yes no", rendered.subject());
        assertEquals("low risk", rendered.text());

        for (String disposition : List.of("malicious", "suspicious", "bulk", "low-risk", "unknown")) {
            String kind = "abuse-feedback-" + disposition;
            Template t = new Template(
                    Files.readString(DEFAULTS.resolve(kind + ".subject")).strip(),
                    Files.readString(DEFAULTS.resolve(kind + ".txt")),
                    Files.readString(DEFAULTS.resolve(kind + ".html")));
            TemplateEngine.Rendered out = TemplateEngine.render(t, model, "P");
            assertTrue(out.subject().startsWith("P: "), out.subject());
            assertTrue(out.text().contains("Hello rita@corp.example"), out.text());
            assertFalse(out.html().toLowerCase().contains("<script"), kind);
        }
    }

    @Test
    void defangingKeepsPathsAndBreaksHosts() {
        assertEquals("hxxps://a[.]b[.]example/x.y?z=1", MailText.defang("https://a.b.example/x.y?z=1"));
        assertEquals("ftp[:]//files[.]example/", MailText.defang("ftp://files.example/"));
        assertEquals("see www[.]evil[.]example now", MailText.defangAll("see www.evil.example now"));
    }

    @Test
    void everyDefaultTemplateCompilesAndRendersBothFormats() throws IOException {
        if (!Files.isDirectory(DEFAULTS)) {
            throw new IllegalStateException("default templates not found at " + DEFAULTS.toAbsolutePath());
        }
        try (var files = Files.list(DEFAULTS)) {
            List<String> kinds = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".subject"))
                    .map(n -> n.substring(0, n.length() - ".subject".length()))
                    .toList();
            assertEquals(11, kinds.size(), kinds.toString());
            Map<String, Object> model = Models.userNotice(
                    Action.QUARANTINE, "alice@corp.example", "Alice", List.of(HOSTILE, HOSTILE), List.of(7L));
            for (String kind : kinds) {
                Template t = new Template(
                        Files.readString(DEFAULTS.resolve(kind + ".subject")).strip(),
                        Files.readString(DEFAULTS.resolve(kind + ".txt")),
                        Files.readString(DEFAULTS.resolve(kind + ".html")));
                TemplateEngine.validate(t, Placeholders.of(kind).orElseThrow());
                TemplateEngine.Rendered out = TemplateEngine.render(t, model, "");
                assertFalse(out.subject().isBlank(), kind);
                assertTrue(out.html().startsWith("<!DOCTYPE html>"), kind);
                assertFalse(out.html().toLowerCase().contains("<script"), kind);
            }
        }
    }
}
