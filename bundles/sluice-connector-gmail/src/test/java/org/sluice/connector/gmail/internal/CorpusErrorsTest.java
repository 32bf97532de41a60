package org.sluice.connector.gmail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseOutcome.Status;
import org.sluice.connector.gmail.fake.FakeGmailServer;
import org.sluice.connector.gmail.fake.FakeServiceAccount;

/**
 * Google's published and real-world error bodies (the shared corpus, {@code gmail/}) served verbatim by the fake: the
 * connector turns each into the right outcome, and the fake's own error bodies have the fields those samples have.
 * Skipped, loudly, where the corpus is absent.
 */
class CorpusErrorsTest {

    private static final String USER = "dave@example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeServiceAccount account = new FakeServiceAccount("sluice@sluice-test.iam.gserviceaccount.com");
    private FakeGmailServer fake;
    private Path corpus;

    @BeforeEach
    void start() throws Exception {
        corpus = Path.of(System.getProperty("sluice.test.corpus", "../../../shared/corpus"), "gmail");
        if (!Files.isDirectory(corpus)) {
            System.err.println("SKIPPED: the Gmail error corpus is not at "
                    + corpus.toAbsolutePath().normalize() + " (set -Dsluice.test.corpus)");
        }
        Assumptions.assumeTrue(Files.isDirectory(corpus), "corpus absent: " + corpus);
        fake = new FakeGmailServer(account.clientEmail(), account.publicKey()).start();
        fake.addUser(USER);
    }

    @AfterEach
    void stop() throws Exception {
        if (fake != null) {
            fake.close();
        }
    }

    private ResponseOutcome removeAnswered(String file, int status, int times) throws Exception {
        String body = Files.readString(corpus.resolve(file), StandardCharsets.UTF_8);
        for (int i = 0; i < times; i++) {
            fake.injectBody(USER, status, body, null);
        }
        GmailMailboxConnector gmail = new GmailMailboxConnector(
                new GmailMailboxConnector.Settings(
                        "corpus", GmailMailboxConnector.RemoveMode.DELETE, Duration.ZERO, 10),
                new GmailClients(account.keyJson(fake.tokenUri()), null, fake.rootUrl(), Duration.ofSeconds(10)),
                new QuotaLimiter(15_000, Duration.ofMinutes(1), Clock.systemUTC()),
                Clock.systemUTC(),
                until -> {});
        return gmail.remove(new MailboxCopy(USER, "INBOX", "18c000000001", null));
    }

    @Test
    void eachPublishedErrorBodyGivesItsOutcome() throws Exception {
        assertOutcome(
                removeAnswered("gmail-docs-400-badRequest.json", 400, 1), Status.PERMANENT_FAILURE, "400 badRequest");
        assertOutcome(
                removeAnswered("google-api-python-client-bad_request.json", 400, 1),
                Status.PERMANENT_FAILURE,
                "400 keyInvalid");
        assertOutcome(
                removeAnswered("gmail-docs-403-dailyLimitExceeded.json", 403, 1),
                Status.RETRYABLE,
                "403 dailyLimitExceeded");
        assertOutcome(
                removeAnswered("google-api-python-client-503.json", 503, 1), Status.RETRYABLE, "503 backendError");
        assertOutcome(
                removeAnswered("real-403-rateLimitExceeded.from-grive2-203.json", 403, 1),
                Status.RETRYABLE,
                "403 rateLimitExceeded");
        assertOutcome(
                removeAnswered("real-403-userRateLimitExceeded.from-MyFlightbookWeb-843.json", 403, 1),
                Status.RETRYABLE,
                "403 userRateLimitExceeded");
    }

    @Test
    void theDocumented401BodyThatIsNotValidJsonStillEndsAsAPermanentFailure() throws Exception {
        // Two: the client refreshes its token once on a 401 and repeats the call.
        ResponseOutcome outcome = removeAnswered("gmail-docs-401-authError.as-published.json.txt", 401, 2);

        assertEquals(Status.PERMANENT_FAILURE, outcome.status());
        assertTrue(outcome.providerStatus().startsWith("401"), outcome.providerStatus());
        // The client library drops a body it cannot parse; the status line is what is left to show.
        assertTrue(outcome.detail().contains("Unauthorized"), outcome.detail());
    }

    @Test
    void theFakesErrorBodiesHaveTheFieldsOfGooglesSamples() throws Exception {
        HttpURLConnection connection =
                (HttpURLConnection) new URL(fake.rootUrl() + "gmail/v1/users/me/messages").openConnection();
        assertEquals(401, connection.getResponseCode());
        JsonNode fakes = JSON.readTree(connection.getErrorStream());

        for (String file : List.of(
                "gmail-docs-400-badRequest.json",
                "gmail-docs-403-dailyLimitExceeded.json",
                "google-api-python-client-503.json",
                "real-403-rateLimitExceeded.from-grive2-203.json")) {
            JsonNode sample = JSON.readTree(Files.readString(corpus.resolve(file)));
            for (String field : List.of("code", "message", "errors")) {
                assertNotNull(sample.path("error").get(field), file + " lacks error." + field);
            }
            for (String field : names(sample.path("error").path("errors").get(0))) {
                if (!field.startsWith("location")) {
                    assertTrue(fakes.path("error").path("errors").get(0).has(field), "fake lacks errors[]." + field);
                }
            }
            for (String field : names(sample.path("error"))) {
                assertTrue(fakes.path("error").has(field), "fake lacks error." + field);
            }
        }
    }

    private static List<String> names(JsonNode node) throws IOException {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void assertOutcome(ResponseOutcome outcome, Status status, String providerStatus) {
        assertEquals(status, outcome.status(), outcome.toString());
        assertEquals(providerStatus, outcome.providerStatus(), outcome.toString());
    }
}
