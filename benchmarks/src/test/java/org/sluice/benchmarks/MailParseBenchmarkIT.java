package org.sluice.benchmarks;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.poi.hmef.HMEFMessage;
import org.apache.poi.hsmf.MAPIMessage;
import org.junit.Test;
import org.sluice.mail.MailParser;
import org.sluice.mail.ParsedMessage;

/**
 * Messages per second of the full mail analysis ({@code sluice-mail}: model, decoding, URLs, attachment digests and
 * type sniffing, nested messages) over every file of the shared corpus, beside the bare library parse of the same
 * files: mime4j building its message tree and reading every body (POI opening the .msg and TNEF files). One thread;
 * run under {@code taskset -c 0} to hold it to one core. Rounds alternate between the two so both see the same
 * machine state; the report gives the median round. Writes {@code sluice.bench.mail.report}.
 */
public class MailParseBenchmarkIT {

    private static final int ROUNDS = Integer.getInteger("sluice.bench.mail.rounds", 3);
    private static final int WARMUP_ROUNDS = Math.max(2, ROUNDS / 2);

    @Test
    public void corpusParseThroughputBesideBareMime4j() throws Exception {
        Path corpus = Path.of(System.getProperty("sluice.corpus", "../../shared/corpus"));
        if (!Files.isDirectory(corpus.resolve("eml"))) {
            System.err.println("SKIPPED: mail benchmark needs the shared corpus at " + corpus.toAbsolutePath());
        }
        assumeTrue("shared corpus present", Files.isDirectory(corpus.resolve("eml")));
        List<byte[]> messages = load(corpus);
        long bytes = messages.stream().mapToLong(m -> m.length).sum();
        MailParser parser = new MailParser();

        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            bare(messages);
            full(parser, messages);
        }
        long[] bareNanos = new long[ROUNDS];
        long[] fullNanos = new long[ROUNDS];
        long sink = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            sink += bare(messages);
            long t1 = System.nanoTime();
            sink += full(parser, messages);
            long t2 = System.nanoTime();
            bareNanos[i] = t1 - t0;
            fullNanos[i] = t2 - t1;
        }

        double bareRate = messages.size() / (median(bareNanos) / 1e9);
        double fullRate = messages.size() / (median(fullNanos) / 1e9);
        String report = report(messages.size(), bytes, bareRate, fullRate, median(bareNanos), median(fullNanos));
        Path out = Path.of(System.getProperty("sluice.bench.mail.report", "target/mail-parse-benchmark.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertTrue("every round parsed something", sink > 0);
        assertTrue("the full analysis ran", fullRate > 0 && bareRate > 0);
    }

    private static List<byte[]> load(Path corpus) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String dir : List.of("eml", "msg", "tnef")) {
            try (Stream<Path> files = Files.walk(corpus.resolve(dir))) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (!name.endsWith(".md")
                            && !name.endsWith(".list")
                            && !name.endsWith(".pub")
                            && !name.startsWith("regexes_")
                            && !name.startsWith("ARTISTIC")) {
                        out.add(Files.readAllBytes(p));
                    }
                }
            }
        }
        return out;
    }

    /** The bare library parse; returns a count that keeps the JIT from dropping the work. */
    private static long bare(List<byte[]> messages) throws Exception {
        long count = 0;
        for (byte[] m : messages) {
            if (m.length > 4 && (m[0] & 0xFF) == 0xD0 && (m[1] & 0xFF) == 0xCF) {
                count += new MAPIMessage(new ByteArrayInputStream(m)).getAttachmentFiles().length + 1;
            } else if (m.length > 4 && (m[0] & 0xFF) == 0x78 && (m[1] & 0xFF) == 0x9F) {
                count += new HMEFMessage(new ByteArrayInputStream(m))
                                .getAttachments()
                                .size()
                        + 1;
            } else {
                count += readBodies(mime4j(m));
            }
        }
        return count;
    }

    private static Message mime4j(byte[] m) throws Exception {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.custom()
                .setMaxLineLen(-1)
                .setMaxHeaderLen(-1)
                .setMaxHeaderCount(-1)
                .setMaxContentLen(-1)
                .setMaxNestingDepth(100_000)
                .setStrictParsing(false)
                .build());
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        return builder.parseMessage(new ByteArrayInputStream(m));
    }

    private static long readBodies(Entity entity) throws IOException {
        Body body = entity.getBody();
        long n = entity.getHeader() == null ? 0 : entity.getHeader().getFields().size();
        if (body instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                n += readBodies(part);
            }
        } else if (body instanceof Message message) {
            n += readBodies(message);
        } else if (body instanceof SingleBody single) {
            try (InputStream in = single.getInputStream()) {
                n += in.readAllBytes().length;
            }
        }
        return n;
    }

    private static long full(MailParser parser, List<byte[]> messages) {
        long count = 0;
        for (byte[] m : messages) {
            ParsedMessage parsed = parser.parse(m);
            count += parsed.headers().size()
                    + parsed.allAttachments().size()
                    + parsed.allUrls().size()
                    + 1;
        }
        return count;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String report(
            int count, long bytes, double bareRate, double fullRate, double bareNs, double fullNs) {
        double mb = bytes / (1024.0 * 1024.0);
        return String.format(
                Locale.ROOT,
                """
                # Mail parsing benchmark

                The whole shared corpus (eml/, msg/, tnef/: %d files, %.2f MiB), parsed in one thread, %d measured
                rounds after %d warm-up rounds; median round. JVM %s, %d processors visible (run under `taskset -c 0`
                for one core); system load average %.1f when the run ended (other work on the machine slows both rows).

                | parse | messages/s | MiB/s | ms per corpus round |
                |---|---:|---:|---:|
                | bare library: mime4j message tree, every body read (POI for .msg and TNEF) | %.0f | %.1f | %.1f |
                | sluice-mail: full model (decoding, URLs, digests, type sniffing, nested messages) | %.0f | %.1f | %.1f |

                The full analysis costs %.1f times the bare parse.
                """,
                count,
                mb,
                ROUNDS,
                WARMUP_ROUNDS,
                ManagementFactory.getRuntimeMXBean().getVmVersion(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                bareRate,
                mb / (bareNs / 1e9),
                bareNs / 1e6,
                fullRate,
                mb / (fullNs / 1e9),
                fullNs / 1e6,
                bareRate / fullRate);
    }
}
