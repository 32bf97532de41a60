package org.sluice.core.internal.notify;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sluice.api.error.ValidationException;
import org.sluice.api.notify.TemplateSet;

/**
 * Renders notification templates with Mustache, logic-less and restricted so that an edited template can never run
 * code or reach into objects:
 *
 * <ul>
 *   <li>the model is plain maps, lists and strings, and the collector only looks values up in maps and lists (no
 *       reflection: {@code {{subject.length}}} is empty, not a method call);
 *   <li>no partials (no template loader), no change of delimiters, and no unescaped output ({@code {{{x}}}},
 *       {@code {{&x}}}): every value in an HTML body is HTML-escaped;
 *   <li>values are inserted once; text that looks like a template inside a value stays text.
 * </ul>
 *
 * The subject is rendered without escaping and then made one line, with the configured product prefix in front.
 */
final class TemplateEngine {

    /** Tags that would bypass escaping, load other templates or change the delimiters. */
    private static final Pattern FORBIDDEN = Pattern.compile("\\{\\{\\s*([{&=>])");

    private static final Mustache.Collector MAPS_ONLY = new BasicCollector() {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }
    };

    private static final Mustache.Compiler HTML = Mustache.compiler()
            .escapeHTML(true)
            .defaultValue("")
            // An empty value hides its section ({{#omitted}}... and {{omitted}} more.{{/omitted}}), as authors expect.
            .emptyStringIsFalse(true)
            .withCollector(MAPS_ONLY)
            .withLoader(name -> {
                throw new IllegalArgumentException("partials are not allowed");
            });

    private static final Mustache.Compiler TEXT = HTML.escapeHTML(false);

    /** A rendered notification, before addressing. */
    record Rendered(String subject, String text, String html) {}

    private TemplateEngine() {}

    /**
     * Checks every part of a template: its syntax, and when the model of its kind is known, every tag against that
     * model (see {@link Placeholders}). A subject must be one line.
     *
     * @param model the model of the template's kind, or {@code null} to check the syntax only
     * @throws ValidationException naming the part, the position and what is wrong
     */
    static void validate(TemplateSet.Template template, Placeholders.Node model) {
        if (template.subject() == null || template.subject().isBlank()) {
            throw new ValidationException("subject", "must not be empty");
        }
        if (template.text() == null || template.text().isBlank()) {
            throw new ValidationException("text", "must not be empty");
        }
        Placeholders.checkSubject(template.subject());
        check("subject", template.subject(), TEXT, model);
        check("text", template.text(), TEXT, model);
        if (template.html() != null && !template.html().isBlank()) {
            check("html", template.html(), HTML, model);
        }
    }

    private static void check(String part, String source, Mustache.Compiler compiler, Placeholders.Node model) {
        forbidden(part, source);
        if (model != null) {
            Placeholders.check(part, source, model);
        }
        compile(part, source, compiler);
    }

    /**
     * Renders a template with a model of maps, lists and strings.
     *
     * @param prefix the product prefix of the subject; empty for none
     */
    static Rendered render(TemplateSet.Template template, Map<String, Object> model, String prefix) {
        String subject =
                MailText.line(compile("subject", template.subject(), TEXT).execute(model));
        String p = MailText.line(prefix);
        if (!p.isEmpty()) {
            subject = subject.isEmpty() ? p : p + ": " + subject;
        }
        String text = compile("text", template.text(), TEXT).execute(model);
        String html = template.html() == null || template.html().isBlank()
                ? null
                : compile("html", template.html(), HTML).execute(model);
        return new Rendered(subject, text, html);
    }

    private static Template compile(String part, String source, Mustache.Compiler compiler) {
        forbidden(part, source);
        try {
            return compiler.compile(source);
        } catch (MustacheException | IllegalArgumentException e) {
            throw new ValidationException(part, "template syntax: " + e.getMessage());
        }
    }

    private static void forbidden(String part, String source) {
        Matcher forbidden = FORBIDDEN.matcher(source);
        if (forbidden.find()) {
            String what = switch (forbidden.group(1)) {
                case "{", "&" -> "unescaped output ({{{...}}} or {{&...}})";
                case "=" -> "changing the delimiters ({{=...=}})";
                default -> "partials ({{>...}})";
            };
            throw new ValidationException(
                    part, "line " + line(source, forbidden.start()) + ": " + what + " is not allowed");
        }
    }

    private static int line(String source, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
