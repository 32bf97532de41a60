package org.sluice.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * URL extraction against eml_parser's own URL test lists (AGPL test data, read from the shared corpus only): every
 * URL its project expects to match, written into a text body one per line, must come out unchanged, except the ones
 * listed here with the reason this parser differs on purpose.
 */
class UrlSamplesTest {

    /** Expected URLs this parser deliberately returns differently, and why. */
    private static final Map<String, String> DIFFERENCES = Map.of(
            "https://www.example.com/?",
            "a trailing question mark is read as sentence punctuation and trimmed (returns https://www.example.com/)",
            "http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com",
            "an apostrophe ends a URL in text, as quotes delimit URLs in prose and markup (returns http://-.~_!$&)");

    @Test
    void everyUrlEmlParserExpectsIsFound() throws IOException {
        Corpus.assumePresent();
        List<String> expected = new ArrayList<>();
        for (String line :
                Files.readAllLines(Corpus.file("eml/eml_parser/regexes_url_matches.txt"), StandardCharsets.UTF_8)) {
            if (line.startsWith("# Permissive")) {
                break; // the permissive section lists junk ("http://#") eml_parser tolerates; not a target here
            }
            if (!line.isBlank() && !line.startsWith("#")) {
                expected.add(line.strip());
            }
        }
        String body = String.join("\r\n", expected);
        byte[] message =
                ("Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);

        List<String> found = new MailParser()
                .parse(message).urls().stream().map(ExtractedUrl::raw).toList();

        List<String> missing = expected.stream()
                .filter(u -> !found.contains(u) && !DIFFERENCES.containsKey(u))
                .toList();
        assertEquals(List.of(), missing, "found: " + found);
        assertEquals(38, expected.size(), "URLs read from the list");
    }
}
