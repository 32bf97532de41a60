package org.sluice.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Access to the shared test corpus (third-party messages under several licences, not all of which may be copied into
 * this repository; the permissively licensed ones the tests need are copied under src/test/resources/corpus). It lives
 * beside the checkout: {@code ../../../shared/corpus} from this module, or wherever
 * {@code -Dsluice.corpus} points. Tests that need it are skipped, with a message on standard error, when it is absent.
 */
final class Corpus {

    static final Path ROOT = Path.of(System.getProperty("sluice.corpus", "../../../shared/corpus"))
            .toAbsolutePath()
            .normalize();

    private Corpus() {}

    static boolean present() {
        return Files.isDirectory(ROOT.resolve("eml"));
    }

    /** Skips the calling test, loudly, when the corpus is not there. */
    static void assumePresent() {
        if (!present()) {
            System.err.println("SKIPPED: the shared mail corpus is not at " + ROOT
                    + " (set -Dsluice.corpus); corpus tests did not run");
        }
        Assumptions.assumeTrue(present(), "shared mail corpus not found at " + ROOT);
    }

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    /** Permissively licensed corpus files copied into this module (see corpus/SOURCES.md there). */
    static final Path COPIED = Path.of("src/test/resources/corpus").toAbsolutePath();

    /** A corpus file: the copy in this module when there is one, else the shared corpus (skipping when absent). */
    static byte[] bytes(String relative) {
        Path copied = COPIED.resolve(relative);
        if (!Files.exists(copied)) {
            assumePresent();
        }
        try {
            return Files.readAllBytes(Files.exists(copied) ? copied : ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every message file under eml/, msg/ and tnef/: all files but the notes, licences, keys and expectation lists. */
    static List<Path> messages() {
        try (Stream<Path> files =
                Stream.of("eml", "msg", "tnef").map(ROOT::resolve).flatMap(Corpus::walk)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.endsWith(".md")
                                && !name.endsWith(".list")
                                && !name.endsWith(".pub")
                                && !name.startsWith("regexes_")
                                && !name.startsWith("ARTISTIC");
                    })
                    .sorted()
                    .toList();
        }
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
