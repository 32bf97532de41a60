package org.sluice.fakes.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake itself: the shapes of the corpus samples, the limits it enforces, and its counters. */
class FakeGraphServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORPUS = Path.of(System.getProperty("sluice.corpus", "../../../shared/corpus"));
    private static final String MAILBOX = "dana@contoso.test";

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeGraphServer fake;
    private String token;

    @BeforeEach
    void start() throws Exception {
        fake = FakeGraphServer.start(FakeGraphLimits.exchangeOnline().withLatency(Duration.ofMillis(200)));
        fake.registerApp("app", "secret");
        fake.deliver(
                MAILBOX, "inbox", "Message-ID: <m1@x.test>\r\nSubject: Hi\r\n\r\nbody\r\n".getBytes(), Instant.now());
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(fake.tokenEndpoint("t")))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "grant_type=client_credentials&client_id=app&client_secret=secret&scope=x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(response.body()).get("access_token").asText();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(fake.baseUrl() + path)).header("Authorization", "Bearer " + token);
    }

    private static String messages(String filter) {
        return "/users/" + MAILBOX + "/messages?%24filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    @Test
    void messagesHaveTheFieldsOfTheDocumentedMessageResource() throws Exception {
        Path sample = CORPUS.resolve("graph/docs-message-move-201.http");
        if (!Files.exists(sample)) {
            System.err.println("SKIPPED: corpus sample " + sample.toAbsolutePath() + " is absent");
        }
        Assumptions.assumeTrue(Files.exists(sample), "corpus sample absent: " + sample.toAbsolutePath());
        String text = Files.readString(sample);
        JsonNode documented = JSON.readTree(text.substring(text.indexOf('{')));

        JsonNode listed = JSON.readTree(
                        http.send(get(messages("subject eq 'Hi'")).build(), HttpResponse.BodyHandlers.ofString())
                                .body())
                .get("value")
                .get(0);

        Set<String> missing = new HashSet<>();
        for (Iterator<String> names = documented.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.startsWith("@odata.context") && !name.equals("@odata.type") && !listed.has(name)) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "fields of the documented message the fake lacks: " + missing);
    }

    @Test
    void aFifthConcurrentRequestIsThrottledLikeTheCapturedAnswer() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(http.sendAsync(get(messages("subject eq 'Hi'")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> throttled = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            if (response.statusCode() == 429) {
                throttled.add(response);
            }
        }

        assertEquals(1, throttled.size());
        HttpResponse<String> answer = throttled.get(0);
        assertEquals("1", answer.headers().firstValue("Retry-After").orElseThrow());
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertTrue(error.get("code").isTextual() && error.get("message").isTextual());
        assertTrue(error.get("innerError").has("request-id")
                && error.get("innerError").has("date"));
        Path captured = CORPUS.resolve("graph/qa-648796-429-activityLimitReached.http");
        if (Files.exists(captured)) {
            String text = Files.readString(captured);
            JsonNode real = JSON.readTree(text.substring(text.indexOf('{'))).get("error");
            for (Iterator<String> names = real.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                assertTrue(error.has(name), "the captured 429 has '" + name + "', the fake's does not");
            }
        }
        assertEquals(1, fake.stats().limitViolations());
        assertEquals(4, fake.stats().maxMailboxConcurrency() - 1);
    }

    @Test
    void aRequestBeforeTheRetryAfterEndedIsCountedAndThrottledAgain() throws Exception {
        fake.injectFaults(MAILBOX, 429, "5", 1);

        int first = http.send(get(messages("subject eq 'Hi'")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        HttpResponse<Void> early =
                http.send(get(messages("subject eq 'Hi'")).build(), HttpResponse.BodyHandlers.discarding());

        assertEquals(429, first);
        assertEquals(429, early.statusCode());
        assertEquals(1, fake.stats().earlyRequests());
        assertEquals(1, fake.stats().injectedFaults());
        assertEquals(0, fake.stats().limitViolations());
    }

    @Test
    void aBatchOfMoreThanTwentyRequestsIsRefused() throws Exception {
        StringBuilder body = new StringBuilder("{\"requests\":[");
        for (int i = 0; i < 21; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(i)
                    .append("\",\"method\":\"GET\",\"url\":\"/users/")
                    .append(MAILBOX)
                    .append("/messages\"}");
        }
        body.append("]}");

        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/$batch"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode());
        assertEquals(0, fake.stats().requests());
    }

    @Test
    void anUnknownFilterPropertyIsABadRequest() throws Exception {
        HttpResponse<String> response =
                http.send(get(messages("bogus eq 'x'")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("Could not find a property named 'bogus'"), response.body());
    }
}
