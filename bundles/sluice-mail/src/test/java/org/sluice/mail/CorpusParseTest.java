package org.sluice.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every message of the shared corpus parses: no parse error, except the ones listed here with their reason. */
class CorpusParseTest {

    /** Files allowed to end with a PARSE_ERROR or NESTED_PARSE_FAILED finding, by path under the corpus, and why. */
    static final Map<String, String> ALLOWED_FAILURES = Map.of();

    private final MailParser parser = new MailParser();

    @Test
    void everyCorpusMessageParsesWithoutParseErrors() throws IOException {
        Corpus.assumePresent();
        List<Path> files = Corpus.messages();
        List<String> failures = new ArrayList<>();

        for (Path file : files) {
            ParsedMessage message = parser.parse(Files.readAllBytes(file));
            String key = Corpus.ROOT.relativize(file).toString();
            boolean failed = message.allFindings().stream()
                    .anyMatch(f -> f.kind() == FindingKind.PARSE_ERROR || f.kind() == FindingKind.NESTED_PARSE_FAILED);
            if (failed != ALLOWED_FAILURES.containsKey(key)) {
                failures.add(key + (failed ? " failed: " + message.allFindings() : " is listed but parses now"));
            }
            System.out.printf(
                    "%-60s %-11s hdr=%3d txt=%d url=%3d att=%d nested=%d findings=%s%n",
                    key,
                    message.format(),
                    message.headers().size(),
                    message.textParts().size(),
                    message.allUrls().size(),
                    message.allAttachments().size(),
                    message.nestedMessages().size(),
                    message.allFindings().stream().map(f -> f.kind().name()).toList());
        }

        assertTrue(files.size() >= 90, "expected the whole corpus, found " + files.size() + " files");
        assertEquals(List.of(), failures);
    }
}
