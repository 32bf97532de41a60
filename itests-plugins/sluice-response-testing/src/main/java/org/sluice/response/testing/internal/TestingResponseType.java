package org.sluice.response.testing.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseRequest;
import org.sluice.api.response.ResponseType;

/**
 * TEST ONLY. The response type {@value #TYPE}: its effect for job <i>J</i> is the file {@code <directory>/J.done},
 * created atomically (CREATE_NEW), so the file system is durable evidence of what was done, and how often. It checks
 * before it acts: an existing file gives {@link ResponseOutcome.Status#ALREADY_DONE}. Every call also appends one line
 * to {@code <directory>/calls.log}: job id, attempt, process id and what happened ({@code created}, {@code existed},
 * {@code raced} when the file appeared between the check and the act, {@code retryable}, {@code permanent},
 * {@code threw}, {@code not-found}).
 *
 * <p>Parameters: {@code sleepMs} sleeps before acting (to have work in flight); {@code failFirst} fails the first N
 * attempts as retryable, with a Retry-After of {@code retryAfterMs} when given; {@code fail=permanent} fails every
 * attempt permanently; {@code throw=true} throws on every attempt; {@code notFound=true} answers not found.
 */
@Component(
        service = ResponseType.class,
        configurationPid = "org.sluice.response.testing",
        property = ResponseType.TYPE_PROPERTY + "=" + TestingResponseType.TYPE)
@Designate(ocd = TestingResponseType.Config.class)
public class TestingResponseType implements ResponseType {

    static final String TYPE = "testing";

    /** System property naming the effect directory when the configuration does not. */
    static final String DIRECTORY_PROPERTY = "sluice.testing.dir";

    private final Logger logger = LoggerFactory.getLogger(TestingResponseType.class);

    /** Where effects are written. */
    @ObjectClassDefinition(
            name = "Sluice testing response type (tests only)",
            description = "The test-only response type 'testing'.")
    public @interface Config {
        @AttributeDefinition(
                description = "Directory for the effect files; empty means the system property sluice.testing.dir,"
                        + " else data/sluice-testing. Default empty.")
        String directory() default "";
    }

    private final Path directory;

    @Activate
    public TestingResponseType(Config config) throws IOException {
        this.directory = directory(config.directory());
        Files.createDirectories(directory);
        logger.info("Test-only response type '{}' writes its effects to {}", TYPE, directory);
    }

    static Path directory(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        String property = System.getProperty(DIRECTORY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Paths.get(property);
        }
        return Paths.get(System.getProperty("karaf.data", "data"), "sluice-testing");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ResponseOutcome execute(ResponseRequest request) throws Exception {
        Path effect = directory.resolve(request.jobId() + ".done");
        if (Files.exists(effect)) {
            log(request, "existed");
            return ResponseOutcome.alreadyDone("effect file was already there");
        }
        int failFirst = number(request, "failFirst");
        if (request.attempt() <= failFirst) {
            log(request, "retryable");
            long retryAfter = number(request, "retryAfterMs");
            return ResponseOutcome.retryable(
                    "503",
                    "failing attempt " + request.attempt() + " of the first " + failFirst + " on purpose",
                    retryAfter > 0 ? Duration.ofMillis(retryAfter) : null);
        }
        if ("permanent".equals(request.parameters().get("fail"))) {
            log(request, "permanent");
            return ResponseOutcome.permanentFailure("403", "failing permanently on purpose");
        }
        if ("true".equals(request.parameters().get("throw"))) {
            log(request, "threw");
            throw new IllegalStateException("throwing on purpose");
        }
        if ("true".equals(request.parameters().get("notFound"))) {
            log(request, "not-found");
            return ResponseOutcome.notFound("nothing to act on, on purpose");
        }
        long sleep = number(request, "sleepMs");
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        try {
            Files.write(
                    effect,
                    ("attempt " + request.attempt() + " pid "
                                    + ProcessHandle.current().pid() + "\n")
                            .getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            log(request, "raced");
            return ResponseOutcome.alreadyDone("effect file appeared while this attempt ran");
        }
        log(request, "created");
        return ResponseOutcome.done("effect file created");
    }

    private static int number(ResponseRequest request, String name) {
        String value = request.parameters().get(name);
        return value == null || value.isBlank() ? 0 : Integer.parseInt(value.strip());
    }

    private void log(ResponseRequest request, String what) throws IOException {
        String line = request.jobId() + "\t" + request.attempt() + "\t"
                + ProcessHandle.current().pid() + "\t" + what + "\n";
        Files.write(
                directory.resolve("calls.log"),
                line.getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }
}
