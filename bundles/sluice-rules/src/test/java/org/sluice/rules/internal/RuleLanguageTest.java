package org.sluice.rules.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleLanguageTest {

    private final RuleLanguage language = new RuleLanguage();
    private final Map<String, Object> facts = new MessageFacts()
            .url("https://bit.ly/x", "bit.ly", "bit.ly", "click")
            .build();

    private boolean holds(String condition) {
        return language.holds(language.compile(condition), facts);
    }

    @Test
    void readsFactsWithOperatorsFunctionsAndLambdas() {
        assertTrue(holds("sender.domain == 'supplier.example'"));
        assertTrue(holds("sender.address =$ '@supplier.example'"));
        assertTrue(holds("any(urls, u -> u.domain =~ ['bit.ly', 't.co'])"));
        assertTrue(holds("any(urls, u -> u.domain == 'bit.ly' && sender.name =^ 'Dana')"));
        assertTrue(holds("count(urls, u -> true) == 1 && size(attachments) == 0 && empty(attachments)"));
        assertTrue(holds("contains(subject, 'AGENDA') && matches(body.text, 'see\\\\s+you')"));
        assertTrue(holds("in_domains('mail.corp.example', lists.internal_domains)"));
        assertFalse(holds("in_domains('corp.example.evil', lists.internal_domains)"));
        assertTrue(holds("sender.domain.endsWith('.example')"));
        assertFalse(holds("reporter.authenticated == true"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "subject = 'x'",
                "new('java.io.File', '/')",
                "while (true) {}",
                "var x = 1; x",
                "#pragma jexl.namespace.r java.lang.Runtime\nr:getRuntime()",
                "system.exit(0)",
                "sender.domain ; subject"
            })
    void refusesAnythingButReadingFacts(String condition) {
        assertThrows(IllegalArgumentException.class, () -> language.compile(condition));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sender.domain.getClass().forName('java.lang.Runtime') != null",
                "sender.class.forName('java.lang.Runtime') != null",
                "sender.domain.class.getClassLoader() != null",
                "subject.getBytes() != null",
                "urls.clear() == null",
                "sender.put('domain', 'x') == null",
                "any(urls, u -> u.domain.getClass() != null)",
                "exec('id') == null",
                "subject.class != null",
                "sender.domain.class.name != null"
            })
    void callsOutsideTheLanguageAreRefusedWhenCompiled(String condition) {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> language.compile(condition));
        assertTrue(error.getMessage().contains("may not"), error.getMessage());
        assertTrue(error.getMessage().matches("(?s).* at 1:\\d+.*"), error.getMessage());
    }

    @Test
    void unknownFactIsNamed() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> language.compile("senderr.domain == 'x'"));
        assertTrue(error.getMessage().contains("unknown fact senderr"), error.getMessage());
        IllegalArgumentException both = assertThrows(
                IllegalArgumentException.class, () -> language.compile("java.lang.Runtime.getRuntime().exec('id')"));
        assertTrue(both.getMessage().contains("unknown fact java"), both.getMessage());
        assertTrue(both.getMessage().contains("method getRuntime() at 1:"), both.getMessage());
        assertTrue(both.getMessage().contains("method exec() at 1:"), both.getMessage());
    }

    @Test
    void catastrophicRegexOnAttackerTextIsCutOff() {
        // Without the bound each of these matches runs for minutes on this text (JDK 17).
        String text = "a".repeat(40) + "!";
        Map<String, Object> evil = new MessageFacts().subject(text).build();
        IllegalStateException viaFunction = assertThrows(
                IllegalStateException.class,
                () -> language.holds(language.compile("matches(subject, '(.*a){12}$')"), evil));
        IllegalStateException viaOperator = assertThrows(
                IllegalStateException.class, () -> language.holds(language.compile("subject =~ '(.*a){12}'"), evil));
        assertTrue(viaFunction.getMessage().contains("too long"), viaFunction.getMessage());
        assertTrue(viaOperator.getMessage().contains("too long"), viaOperator.getMessage());
    }
}
