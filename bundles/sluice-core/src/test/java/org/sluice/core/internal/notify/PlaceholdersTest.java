package org.sluice.core.internal.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sluice.api.error.ValidationException;
import org.sluice.api.notify.TemplateSet.Template;

class PlaceholdersTest {

    private static final Placeholders.Node USER = Placeholders.of("quarantine").orElseThrow();
    private static final Placeholders.Node SOC =
            Placeholders.of("soc-new-incident").orElseThrow();

    private static String refused(Template template, Placeholders.Node model) {
        ValidationException e = assertThrows(ValidationException.class, () -> TemplateEngine.validate(template, model));
        return e.getMessage();
    }

    @Test
    void knownPlaceholdersPassIncludingNestedSectionsAndParentLookups() {
        TemplateEngine.validate(
                new Template(
                        "{{count}} message(s) for {{recipient.name}}",
                        "{{#messages}}{{subject}} {{recipient.address}}{{#urls}}{{url}} {{.}}{{/urls}}{{/messages}}"
                                + "{{^many}}one{{/many}}{{! a comment with {{ braces }}{{message.sender}}"
                                + "{{#action.feedback}}{{disposition.name}}{{/action.feedback}}",
                        "<p>{{ incident.id }}</p>"),
                USER);
        TemplateEngine.validate(new Template("{{incident.summary}}", "{{change}} {{incident.alerts}}", null), SOC);
    }

    @Test
    void unknownPlaceholderIsRefusedWithPartLineAndColumn() {
        assertEquals(
                "text: line 2, column 4: unknown placeholder 'recipient.nmae'",
                refused(new Template("s", "Hi\nyo {{recipient.nmae}}", null), USER));
        assertEquals(
                "html: line 1, column 1: unknown placeholder 'incident.summary'",
                refused(new Template("s", "t", "{{incident.summary}}"), USER));
        // A field of a list item is unknown outside its section.
        assertEquals(
                "subject: line 1, column 3: unknown placeholder 'subject'",
                refused(new Template("x {{subject}}", "t", null), USER));
        assertTrue(refused(new Template("s", "{{messages}}", null), USER).contains("is a list, not a value"));
        // SOC kinds have no recipient.
        assertEquals(
                "text: line 1, column 1: unknown placeholder 'recipient.name'",
                refused(new Template("s", "{{recipient.name}}", null), SOC));
    }

    @Test
    void unclosedTagsAndSectionsAreRefusedWithPosition() {
        assertEquals(
                "text: line 3, column 7: '{{' is never closed with '}}'",
                refused(new Template("s", "a\nb\nHello {{recipient.name", null), USER));
        assertEquals(
                "text: line 1, column 1: '{{' is never closed with '}}'",
                refused(new Template("s", "{{recipient.name {{count}}", null), USER));
        assertEquals(
                "html: line 1, column 4: section 'messages' is never closed",
                refused(new Template("s", "t", "<p>{{#messages}}{{subject}}"), USER));
        assertEquals(
                "text: line 1, column 14: '{{/many}}' does not close the open section 'messages'",
                refused(new Template("s", "{{#messages}}{{/many}}", null), USER));
        assertEquals(
                "text: line 1, column 1: '{{/many}}' closes a section that is not open",
                refused(new Template("s", "{{/many}}", null), USER));
        assertEquals("text: line 1, column 1: empty tag '{{}}'", refused(new Template("s", "{{}}", null), USER));
    }

    @Test
    void lineBreaksInASubjectAreRefusedWithPosition() {
        assertEquals(
                "subject: line 1, column 6: a line break (CR or LF) is not allowed in a subject",
                refused(new Template("Hello\r\nBcc: x@evil.example", "t", null), USER));
        assertEquals(
                "subject: line 1, column 2: a line break (CR or LF) is not allowed in a subject",
                refused(new Template("a\n\nb", "t", null), USER));
        assertTrue(refused(new Template("a\u0007b", "t", null), USER).contains("U+0007"));
    }

    @Test
    void onlyRenderedKindsHaveAModel() {
        assertTrue(Placeholders.of("quarantine-friendly").isEmpty());
        assertTrue(Placeholders.of(null).isEmpty());
        for (String kind : Placeholders.KINDS) {
            assertTrue(Placeholders.of(kind).isPresent(), kind);
        }
    }
}
