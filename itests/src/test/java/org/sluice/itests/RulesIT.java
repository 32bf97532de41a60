package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.sluice.api.clear.Disposition;
import org.sluice.rules.RuleEngine;
import org.sluice.rules.Verdict;

/**
 * The rule engine inside the distribution: the expression library resolves and runs under OSGi, the shipped ruleset
 * is active, and a ruleset dropped into etc/sluice/rules replaces it while the server runs, unless it is broken.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RulesIT extends SluiceTestSupport {

    @Inject
    private RuleEngine rules;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    private static Map<String, Object> withAttachment(String extension) {
        return Map.of(
                "subject", "Invoice",
                "sender", Map.of("address", "a@outside.example", "domain", "outside.example", "name", "A"),
                "attachments", List.of(Map.of("name", "invoice." + extension, "extension", extension, "type", "x")));
    }

    @Test
    public void shippedRulesetDecidesAndAFolderRulesetReplacesItWhileRunning() throws Exception {
        assertTrue(rules.active().origin(), rules.active().origin().startsWith("bundle:sluice-rules"));
        Verdict shipped = rules.evaluate(withAttachment("exe"));
        assertEquals(shipped.errors().toString(), Disposition.MALICIOUS, shipped.disposition());
        assertEquals("attachment-executable", shipped.ruleId());

        Path folder = Path.of(System.getProperty("karaf.etc"), "sluice", "rules");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("default.yaml"), """
                ruleset: default
                version: "it-1"
                rules:
                  - id: text-attachment
                    name: Text attachment
                    severity: low
                    disposition: bulk
                    condition: any(attachments, a -> a.extension == 'txt')
                """);
        await(Duration.ofSeconds(60), () -> assertEquals("it-1", rules.active().version()));
        assertEquals(Disposition.BULK, rules.evaluate(withAttachment("txt")).disposition());
        assertEquals(Disposition.UNKNOWN, rules.evaluate(withAttachment("exe")).disposition());

        Files.writeString(folder.resolve("default.yaml"), """
                ruleset: default
                version: "it-2"
                rules:
                  - id: broken
                    name: Broken
                    severity: low
                    disposition: bulk
                    condition: java.lang.Runtime.getRuntime().exec('id')
                """);
        await(
                Duration.ofSeconds(60),
                () -> assertTrue(rules.refused().values().stream()
                        .anyMatch(e -> e.getMessage().contains("unknown fact java"))));
        assertEquals("it-1", rules.active().version());

        // A rule that reads facts but calls a method the sandbox refuses is refused when the file loads, with its id
        // and line, instead of loading and failing on every message.
        Files.writeString(folder.resolve("default.yaml"), """
                ruleset: default
                version: "it-3"
                rules:
                  - id: text-attachment
                    name: Text attachment
                    severity: low
                    disposition: bulk
                    condition: any(attachments, a -> a.extension == 'txt')
                  - id: sneaky
                    name: Sneaky
                    severity: low
                    disposition: malicious
                    condition: subject.getClass() != null
                """);
        await(
                Duration.ofSeconds(60),
                () -> assertTrue(
                        rules.refused().toString(),
                        rules.refused().values().stream()
                                .anyMatch(e -> e.getMessage().contains("line 13: rule sneaky")
                                        && e.getMessage().contains("method getClass()"))));
        assertEquals("it-1", rules.active().version());
        assertTrue(rules.evaluate(withAttachment("txt")).errors().isEmpty());
    }
}
