package org.sluice.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.clear.Disposition;
import org.sluice.rules.RulesetException;
import org.sluice.rules.Verdict;

class RuleEngineFolderTest {

    @TempDir
    Path folder;

    private static String ruleset(String version, String disposition) {
        return """
                ruleset: default
                version: "%s"
                rules:
                  - id: subject-says-test
                    name: Test subject
                    severity: low
                    disposition: %s
                    condition: contains(subject, 'test')
                """.formatted(version, disposition);
    }

    private void write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content);
        // Scans compare size and time; make each write visibly newer even within one clock tick.
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + Files.size(file) * 1000));
    }

    private static Verdict onTestSubject(RuleEngineImpl engine) {
        return engine.evaluate(new MessageFacts().subject("a test").build());
    }

    @Test
    void folderRulesetReplacesTheShippedOneAndIsReplacedWhileRunning() throws IOException {
        RuleEngineImpl engine = RuleEngineImpl.forFolder(folder, "default");
        assertEquals("bundle:sluice-rules/rules/default.yaml", engine.active().origin());

        write("default.yaml", ruleset("1", "bulk"));
        engine.scan();
        assertEquals("1", engine.active().version());
        assertEquals(Disposition.BULK, onTestSubject(engine).disposition());

        write("default.yaml", ruleset("2", "suspicious"));
        engine.scan();
        Verdict verdict = onTestSubject(engine);
        assertEquals(Disposition.SUSPICIOUS, verdict.disposition());
        assertEquals("2", verdict.version());
        assertEquals("subject-says-test", verdict.ruleId());

        Files.delete(folder.resolve("default.yaml"));
        engine.scan();
        assertEquals("bundle:sluice-rules/rules/default.yaml", engine.active().origin());
    }

    @Test
    void brokenOrSameVersionFileIsRefusedAndThePreviousRulesetStays() throws IOException {
        RuleEngineImpl engine = RuleEngineImpl.forFolder(folder, "default");
        write("default.yaml", ruleset("1", "bulk"));
        engine.scan();

        write("default.yaml", ruleset("1", "malicious"));
        engine.scan();
        assertEquals(Disposition.BULK, onTestSubject(engine).disposition());
        assertTrue(engine.refused()
                .get(folder.resolve("default.yaml").toString())
                .getMessage()
                .contains("version is still 1"));

        write("default.yaml", ruleset("2", "dangerous"));
        engine.scan();
        assertEquals(Disposition.BULK, onTestSubject(engine).disposition());
        assertTrue(engine.refused()
                .get(folder.resolve("default.yaml").toString())
                .getMessage()
                .contains("unknown disposition 'dangerous'"));

        write("default.yaml", ruleset("2", "malicious"));
        engine.scan();
        assertEquals(Disposition.MALICIOUS, onTestSubject(engine).disposition());
        assertTrue(engine.refused().isEmpty());
    }

    @Test
    void everyProblemOfAFileIsNamedWithItsLine() {
        RuleEngineImpl engine = RuleEngineImpl.forFolder(folder, "default");
        String yaml = """
                ruleset: default
                version: "3"
                rules:
                  - id: one
                    name: One
                    severity: severe
                    disposition: malicious
                    condition: subject == 'x'
                  - id: one
                    name: Duplicate
                    severity: low
                    disposition: bulk
                    condition: subject == 'y'
                  - id: three
                    name: Three
                    severity: low
                    disposition: bulk
                    conditon: subject == 'z'
                  - id: four
                    name: Four
                    severity: low
                    disposition: bulk
                    condition: subject = 'z'
                """;
        RulesetException error = assertThrows(
                RulesetException.class,
                () -> engine.parse("t.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));

        List<String> problems = error.problems().stream()
                .map(RulesetException.Problem::toString)
                .toList();
        assertTrue(
                problems.contains("line 6: rule one: unknown severity 'severe' (expected informational, low, "
                        + "medium, high or critical)"),
                problems.toString());
        assertTrue(
                problems.contains("line 18: rule three: unknown key 'conditon' (expected condition, description, "
                        + "disposition, id, name, severity)"),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("line 14: rule three: missing 'condition'")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("line 23: rule four: condition at 1:")),
                problems.toString());
    }

    @Test
    void aRuleCallingAForbiddenMethodIsRefusedWhenLoadedWithItsIdAndLine() throws IOException {
        RuleEngineImpl engine = RuleEngineImpl.forFolder(folder, "default");
        write("default.yaml", ruleset("5", "bulk"));
        engine.scan();
        assertEquals("5", engine.active().version());

        write("default.yaml", """
                ruleset: default
                version: "6"
                rules:
                  - id: fine
                    name: Fine
                    severity: low
                    disposition: bulk
                    condition: contains(subject, 'test')
                  - id: sneaky
                    name: Sneaky
                    severity: low
                    disposition: malicious
                    condition: >
                      sender.domain.getClass() != null
                """);
        engine.scan();
        assertEquals("5", engine.active().version(), "the previous ruleset stays active");
        String refusal = engine.refused().values().iterator().next().getMessage();
        assertTrue(
                refusal.contains("line 13: rule sneaky: condition uses what a rule may not: method getClass()"),
                refusal);
        assertEquals(Disposition.BULK, onTestSubject(engine).disposition());
        assertTrue(onTestSubject(engine).errors().isEmpty());
    }

    @Test
    void yamlThatIsNotARulesetIsRefusedClearly() {
        RuleEngineImpl engine = RuleEngineImpl.forFolder(folder, "default");
        String bomb = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n";
        for (String yaml : List.of("", "- just\n- a list\n", "ruleset: [unclosed\n", bomb, "!!java.io.File /\n")) {
            RulesetException error = assertThrows(
                    RulesetException.class,
                    () -> engine.parse("t.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
            assertTrue(error.getMessage().startsWith("t.yaml: "), error.getMessage());
        }
    }
}
