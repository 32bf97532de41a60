package org.sluice.rules.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.api.clear.Disposition;
import org.sluice.mail.MailParser;
import org.sluice.rules.MessageFacts;
import org.sluice.rules.Verdict;

/**
 * The shipped ruleset over the labelled development corpus ({@code ../../shared/corpus/eval-dev}): prints the confusion
 * table and each message's verdict, and holds the ruleset to the quality bar: Unknown at most 10 %, no ham called
 * Malicious, ham and bulk called Suspicious or Malicious at most 10 %, phishing and malware called Suspicious or
 * Malicious at least 85 %. Run alone: {@code mvn -pl bundles/sluice-rules test -Dtest=EvalDevQualityTest}.
 */
class EvalDevQualityTest {

    private static final Path CORPUS = Path.of(System.getProperty("sluice.corpus", "../../../shared/corpus"))
            .resolve("eval-dev");

    @TempDir
    Path emptyFolder;

    @Test
    void defaultRulesetMeetsTheQualityBarOnTheDevelopmentCorpus() throws IOException {
        Path labels = CORPUS.resolve("labels.csv");
        if (!Files.exists(labels)) {
            System.err.println(
                    "SKIPPED LOUDLY: " + labels.toAbsolutePath() + " is absent; ruleset quality not measured");
        }
        assumeTrue(Files.exists(labels), "eval-dev corpus absent");

        RuleEngineImpl engine = RuleEngineImpl.forFolder(emptyFolder, "default");
        MailParser parser = new MailParser();
        Map<String, Map<Disposition, Integer>> table = new LinkedHashMap<>();
        for (String label : List.of("phish", "malware", "bulk", "ham")) {
            table.put(label, new EnumMap<>(Disposition.class));
        }
        StringBuilder details = new StringBuilder();
        int total = 0;
        for (String line :
                Files.readAllLines(labels).subList(1, Files.readAllLines(labels).size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] columns = line.split(",", 3);
            String file = columns[0];
            String label = columns[1];
            byte[] raw = Files.readAllBytes(CORPUS.resolve(file));
            Verdict verdict = engine.evaluate(MessageFacts.of(parser.parse(raw), null, Map.of()));
            assertTrue(verdict.errors().isEmpty(), "a rule failed on " + file + ": " + verdict.errors());
            table.get(label).merge(verdict.disposition(), 1, Integer::sum);
            total++;
            details.append(String.format(
                    "%-8s %-10s %-52s %s%n",
                    label,
                    verdict.disposition().wireName(),
                    file,
                    verdict.matches().stream().map(Verdict.Match::ruleId).toList()));
        }

        StringBuilder report = new StringBuilder("\nRuleset quality on eval-dev (" + total + " messages)\n");
        report.append(String.format("%-8s", "label"));
        for (Disposition d : Disposition.values()) {
            report.append(String.format("%12s", d.wireName()));
        }
        report.append('\n');
        table.forEach((label, row) -> {
            report.append(String.format("%-8s", label));
            for (Disposition d : Disposition.values()) {
                report.append(String.format("%12d", row.getOrDefault(d, 0)));
            }
            report.append('\n');
        });
        int unknown = count(table, Set.of("phish", "malware", "bulk", "ham"), Set.of(Disposition.UNKNOWN));
        int hamMalicious = count(table, Set.of("ham"), Set.of(Disposition.MALICIOUS));
        int benign = count(table, Set.of("ham", "bulk"), Set.of(Disposition.values()));
        int benignFlagged = count(table, Set.of("ham", "bulk"), Set.of(Disposition.SUSPICIOUS, Disposition.MALICIOUS));
        int bad = count(table, Set.of("phish", "malware"), Set.of(Disposition.values()));
        int badCaught = count(table, Set.of("phish", "malware"), Set.of(Disposition.SUSPICIOUS, Disposition.MALICIOUS));
        report.append(String.format(
                "Unknown %d/%d (%.0f %%); ham called Malicious %d; ham+bulk called Suspicious/Malicious %d/%d (%.0f %%);"
                        + " phish+malware caught %d/%d (%.0f %%)%n",
                unknown,
                total,
                100.0 * unknown / total,
                hamMalicious,
                benignFlagged,
                benign,
                100.0 * benignFlagged / benign,
                badCaught,
                bad,
                100.0 * badCaught / bad));
        System.out.println(report);
        System.out.println(details);

        assertTrue(unknown * 10 <= total, "Unknown above 10 %" + report);
        assertTrue(hamMalicious == 0, "ham called Malicious" + report);
        assertTrue(benignFlagged * 10 <= benign, "ham and bulk flagged above 10 %" + report);
        assertTrue(badCaught * 100 >= bad * 85, "phishing and malware caught below 85 %" + report);
    }

    private static int count(
            Map<String, Map<Disposition, Integer>> table, Set<String> labels, Set<Disposition> verdicts) {
        int sum = 0;
        for (String label : labels) {
            for (Disposition d : verdicts) {
                sum += table.get(label).getOrDefault(d, 0);
            }
        }
        return sum;
    }
}
