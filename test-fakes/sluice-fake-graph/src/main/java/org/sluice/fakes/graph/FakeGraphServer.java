package org.sluice.fakes.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fake Microsoft Graph mail service with its token endpoint, on 127.0.0.1 and a free port, for tests and benchmarks.
 * It answers the requests a mailbox connector makes with the shapes of Graph's documentation and real captures
 * (messages with {@code $filter}, {@code $select}, {@code $top} and {@code @odata.nextLink} paging, MIME content
 * through {@code $value}, delete, {@code permanentDelete}, move, create from base64 MIME, mail folders, {@code $batch}
 * of up to 20 requests run concurrently), with Graph's error bodies ({@code {"error": {"code", "message",
 * "innerError"}}}).
 *
 * <p>It enforces Exchange Online's limits by answering 429 with Retry-After: requests in flight per mailbox, requests
 * per mailbox per window, and optionally an app-wide rate. Faults (429, 503, ...) can be injected per mailbox. Every
 * throttling answer with a Retry-After starts a wait for that mailbox; a request for the mailbox that arrives before
 * the wait is over is counted as an early request (and throttled again). {@link #stats()} gives the counters a test
 * asserts on.
 *
 * <p>Immutable ids are returned when a request carries {@code Prefer: IdType="ImmutableId"}; otherwise regular ids,
 * which change when a message is moved. Both are accepted in paths. {@code DELETE} moves a message to Recoverable
 * Items (Deletions), where the user can still recover it; {@code permanentDelete} moves it to Purges, out of the
 * user's sight.
 */
public final class FakeGraphServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> WELL_KNOWN = List.of(
            "inbox", "sentitems", "deleteditems", "drafts", "recoverableitemsdeletions", "recoverableitemspurges");

    private final FakeGraphLimits limits;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-graph");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> apps = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong tokenRequests = new AtomicLong();
    private final AtomicLong limitViolations = new AtomicLong();
    private final AtomicLong earlyRequests = new AtomicLong();
    private final AtomicLong injectedFaults = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong listedMessages = new AtomicLong();
    private final AtomicInteger maxMailboxConcurrency = new AtomicInteger();
    private final Map<String, AtomicInteger> permanentDeletes = new ConcurrentHashMap<>();

    /** Guards {@link #appSecond} and {@link #appCount}. */
    private final Object appLock = new Object();

    private long appSecond;
    private int appCount;

    private FakeGraphServer(FakeGraphLimits limits) throws IOException {
        this.limits = limits;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake on a free loopback port. */
    public static FakeGraphServer start(FakeGraphLimits limits) throws IOException {
        return new FakeGraphServer(limits);
    }

    /** The Graph service root, {@code http://127.0.0.1:<port>/v1.0}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0";
    }

    /** The token endpoint of a tenant. */
    public String tokenEndpoint(String tenant) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + tenant + "/oauth2/v2.0/token";
    }

    /** Registers an app that may get tokens with its client id and secret. */
    public void registerApp(String clientId, String secret) {
        apps.put(clientId, secret);
    }

    /** Creates a mailbox (with the well-known folders) if it does not exist. */
    public void createMailbox(String address) {
        mailbox(address, true);
    }

    /** Makes every request for a mailbox fail with 403 ErrorAccessDenied (an application access policy). */
    public void deny(String address) {
        denied.add(key(address));
    }

    /** Delivers a message into a well-known folder ({@code inbox}, {@code sentitems}, ...) and returns it. */
    public FakeMessage deliver(String address, String folder, byte[] mime, Instant received) {
        Mailbox mailbox = mailbox(address, true);
        String folderId =
                mailbox.folderId(folder).orElseThrow(() -> new IllegalArgumentException("no folder " + folder));
        FakeMessage message = fromMime(folderId, mime, received, false);
        mailbox.messages.put(message.immutableId, message);
        return message;
    }

    /** Sets whether the user has read a message, as Outlook does when it is opened. */
    public void setRead(FakeMessage message, boolean read) {
        message.read = read;
    }

    /**
     * Holds the answer to the {@code nth} {@code permanentDelete} from now: the message is deleted (and counted), but
     * the answer waits until {@link #releaseHeld()} or five minutes, as when the caller dies while the provider has
     * already acted. {@link #awaitHeld} tells when a request is held.
     */
    public void holdPermanentDelete(int nth) {
        hold = new Hold(new AtomicInteger(nth), new CountDownLatch(1), new CountDownLatch(1));
    }

    /** Waits until the armed {@link #holdPermanentDelete} holds a request; the held message's immutable id or null. */
    public String awaitHeld(Duration timeout) throws InterruptedException {
        Hold current = hold;
        if (current == null || !current.held().await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        return current.heldId().get();
    }

    /** Lets a held answer go (to a caller that may be gone) and disarms the hold. */
    public void releaseHeld() {
        Hold current = hold;
        hold = null;
        if (current != null) {
            current.release().countDown();
        }
    }

    private record Hold(
            AtomicInteger countdown,
            CountDownLatch held,
            CountDownLatch release,
            java.util.concurrent.atomic.AtomicReference<String> heldId) {
        Hold(AtomicInteger countdown, CountDownLatch held, CountDownLatch release) {
            this(countdown, held, release, new java.util.concurrent.atomic.AtomicReference<>());
        }
    }

    private volatile Hold hold;

    private void maybeHold(FakeMessage message) {
        Hold current = hold;
        if (current == null || current.countdown().decrementAndGet() != 0) {
            return;
        }
        current.heldId().set(message.immutableId);
        current.held().countDown();
        try {
            current.release().await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The messages of a mailbox in one folder (well-known name or id), in delivery order. */
    public List<FakeMessage> messages(String address, String folder) {
        Mailbox mailbox = mailbox(address, false);
        if (mailbox == null) {
            return List.of();
        }
        String folderId = mailbox.folderId(folder).orElse(folder);
        return mailbox.messages.values().stream()
                .filter(m -> m.folderId.equals(folderId))
                .sorted(Comparator.comparing(m -> m.received))
                .toList();
    }

    /** Every message of a mailbox in any folder, the hidden and recoverable ones included. */
    public Collection<FakeMessage> allMessages(String address) {
        Mailbox mailbox = mailbox(address, false);
        return mailbox == null ? List.of() : List.copyOf(mailbox.messages.values());
    }

    /** The id of a folder given by well-known name or display name. */
    public Optional<String> folderId(String address, String nameOrWellKnown) {
        Mailbox mailbox = mailbox(address, false);
        return mailbox == null ? Optional.empty() : mailbox.folderId(nameOrWellKnown);
    }

    /** Whether a folder is hidden. */
    public boolean hidden(String address, String folderId) {
        Mailbox mailbox = mailbox(address, false);
        return mailbox != null && mailbox.folders.containsKey(folderId) && mailbox.folders.get(folderId).hidden;
    }

    /**
     * Makes the next {@code count} requests for a mailbox fail with {@code status} (429, 503, ...), carrying {@code
     * retryAfter} as the Retry-After header (seconds or an HTTP-date) unless it is {@code null}.
     */
    public void injectFaults(String address, int status, String retryAfter, int count) {
        Mailbox mailbox = mailbox(address, true);
        for (int i = 0; i < count; i++) {
            mailbox.faults.add(new Fault(status, retryAfter));
        }
    }

    /** An HTTP-date {@code seconds} from now, for a Retry-After header. */
    public static String httpDate(long seconds) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS));
    }

    /** How often {@code permanentDelete} removed the message with this immutable id. */
    public int permanentDeletes(String immutableId) {
        AtomicInteger count = permanentDeletes.get(immutableId);
        return count == null ? 0 : count.get();
    }

    /** The counters so far. */
    public Stats stats() {
        return new Stats(
                requests.get(),
                tokenRequests.get(),
                limitViolations.get(),
                earlyRequests.get(),
                injectedFaults.get(),
                batches.get(),
                maxMailboxConcurrency.get(),
                listedMessages.get());
    }

    /**
     * Counters of the fake.
     *
     * @param requests Graph requests, each batch item counted (the batch envelope is not)
     * @param tokenRequests token requests
     * @param limitViolations requests answered 429 because a limit was exceeded (injected faults not counted)
     * @param earlyRequests requests for a mailbox that arrived before the Retry-After it was given had passed
     * @param injectedFaults injected faults answered
     * @param batches {@code $batch} envelopes
     * @param maxMailboxConcurrency the most requests one mailbox had in flight at once, rejected ones included
     * @param listedMessages messages returned by message listings (searches), over all pages
     */
    public record Stats(
            long requests,
            long tokenRequests,
            long limitViolations,
            long earlyRequests,
            long injectedFaults,
            long batches,
            int maxMailboxConcurrency,
            long listedMessages) {}

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP ----

    private record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer json(int status, JsonNode node) {
            try {
                return new Answer(status, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(node));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer empty(int status) {
            return new Answer(status, Map.of(), new byte[0]);
        }
    }

    private record Request(
            String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        boolean immutableIds() {
            String prefer = header("Prefer");
            return prefer != null && prefer.replace(" ", "").contains("IdType=\"ImmutableId\"");
        }
    }

    private record Fault(int status, String retryAfter) {}

    private void handle(HttpExchange exchange) throws IOException {
        Answer answer;
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    query(exchange.getRequestURI().getRawQuery()),
                    headers,
                    exchange.getRequestBody().readAllBytes());
            answer = route(request);
        } catch (RuntimeException e) {
            answer = error(500, "generalException", "fake failed: " + e);
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("request-id", UUID.randomUUID().toString());
        if (answer.body().length == 0) {
            exchange.sendResponseHeaders(answer.status(), -1);
        } else {
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
        exchange.close();
    }

    private Answer route(Request request) {
        if (request.path().endsWith("/oauth2/v2.0/token") && request.method().equals("POST")) {
            return token(request);
        }
        if (!request.path().startsWith("/v1.0/")) {
            return error(404, "UnknownError", "no such service root");
        }
        String auth = request.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !tokens.containsKey(auth.substring(7))) {
            return error(401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
        }
        String path = request.path().substring("/v1.0".length());
        if (path.equals("/$batch") && request.method().equals("POST")) {
            return batch(request);
        }
        return limited(request, path);
    }

    private Answer token(Request request) {
        tokenRequests.incrementAndGet();
        Map<String, String> form = query(new String(request.body(), StandardCharsets.UTF_8));
        String client = form.getOrDefault("client_id", "");
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return tokenError(
                    400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
        }
        if (!apps.containsKey(client)) {
            return tokenError(
                    400,
                    "unauthorized_client",
                    "AADSTS700016: Application with identifier '" + client + "' was not found in the directory.");
        }
        if (!apps.get(client).equals(form.get("client_secret"))) {
            return tokenError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        }
        String token = "fake." + UUID.randomUUID();
        tokens.put(token, client);
        ObjectNode body = JSON.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("expires_in", 3599);
        body.put("ext_expires_in", 3599);
        body.put("access_token", token);
        return Answer.json(200, body);
    }

    private static Answer tokenError(int status, String code, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", code);
        body.put("error_description", description);
        body.putArray("error_codes");
        body.put("timestamp", Instant.now().toString());
        return Answer.json(status, body);
    }

    /** One Graph request for one mailbox, within the limits. */
    private Answer limited(Request request, String path) {
        requests.incrementAndGet();
        String[] segments = segments(path);
        if (segments.length < 2 || !segments[0].equals("users")) {
            return error(
                    400,
                    "BadRequest",
                    "Resource not found for the segment '" + (segments.length > 0 ? segments[0] : "") + "'.");
        }
        String address = segments[1];
        Mailbox mailbox = mailbox(address, false);
        if (mailbox == null) {
            return error(404, "ErrorInvalidUser", "The requested user '" + address + "' is invalid.");
        }
        long now = System.nanoTime();
        long until = mailbox.retryUntil.get();
        if (now < until) {
            earlyRequests.incrementAndGet();
            return throttled(
                    mailbox,
                    "ApplicationThrottled",
                    "Request sent before the Retry-After elapsed.",
                    String.valueOf(Math.max(1, Duration.ofNanos(until - now).toSeconds())),
                    false);
        }
        Fault fault = mailbox.faults.poll();
        if (fault != null) {
            injectedFaults.incrementAndGet();
            if (fault.status() == 429) {
                return throttled(
                        mailbox,
                        "ApplicationThrottled",
                        "Application is over its MailboxConcurrency limit.",
                        fault.retryAfter(),
                        false);
            }
            Answer answer = error(
                    fault.status(),
                    fault.status() == 503 ? "ServiceUnavailable" : "UnknownError",
                    fault.status() == 503 ? "Service Unavailable" : "");
            if (fault.retryAfter() != null) {
                mailbox.startWait(fault.retryAfter());
                Map<String, String> headers = new LinkedHashMap<>(answer.headers());
                headers.put("Retry-After", fault.retryAfter());
                return new Answer(answer.status(), headers, answer.body());
            }
            return answer;
        }
        if (limits.appRequestsPerSecond() > 0) {
            synchronized (appLock) {
                long second = System.currentTimeMillis() / 1000;
                if (second != appSecond) {
                    appSecond = second;
                    appCount = 0;
                }
                if (++appCount > limits.appRequestsPerSecond()) {
                    return throttled(
                            mailbox,
                            "ApplicationThrottled",
                            "Application is over its request rate limit.",
                            String.valueOf(limits.throttleRetryAfterSeconds()),
                            true);
                }
            }
        }
        synchronized (mailbox.window) {
            long horizon = now - limits.window().toNanos();
            while (!mailbox.window.isEmpty() && mailbox.window.peekFirst() < horizon) {
                mailbox.window.pollFirst();
            }
            if (mailbox.window.size() >= limits.perMailboxRequests()) {
                long wait = mailbox.window.peekFirst() - horizon;
                return throttled(
                        mailbox,
                        "ApplicationThrottled",
                        "Application is over its MailboxRequests limit.",
                        String.valueOf(Math.max(1, Duration.ofNanos(wait).toSeconds() + 1)),
                        true);
            }
            mailbox.window.addLast(now);
        }
        int inFlight = mailbox.inFlight.incrementAndGet();
        maxMailboxConcurrency.accumulateAndGet(inFlight, Math::max);
        try {
            if (inFlight > limits.perMailboxConcurrency()) {
                return throttled(
                        mailbox,
                        "ApplicationThrottled",
                        "Application is over its MailboxConcurrency limit.",
                        String.valueOf(limits.throttleRetryAfterSeconds()),
                        true);
            }
            if (denied.contains(key(address))) {
                return error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
            }
            if (!limits.latency().isZero()) {
                Thread.sleep(limits.latency().toMillis());
            }
            return mailboxRequest(request, mailbox, segments);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "ServiceUnavailable", "shutting down");
        } finally {
            mailbox.inFlight.decrementAndGet();
        }
    }

    private Answer throttled(Mailbox mailbox, String code, String message, String retryAfter, boolean violation) {
        if (violation) {
            limitViolations.incrementAndGet();
        }
        if (retryAfter != null) {
            mailbox.startWait(retryAfter);
        }
        ObjectNode inner = JSON.createObjectNode();
        inner.put("code", "throttledRequest");
        inner.put(
                "date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ""));
        inner.put("request-id", UUID.randomUUID().toString());
        ObjectNode error = JSON.createObjectNode();
        error.put("code", code);
        error.put("message", message);
        error.set("innerError", inner);
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        Answer answer = Answer.json(429, body);
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        if (retryAfter != null) {
            headers.put("Retry-After", retryAfter);
        }
        return new Answer(429, headers, answer.body());
    }

    private Answer mailboxRequest(Request request, Mailbox mailbox, String[] s) {
        boolean immutable = request.immutableIds();
        String method = request.method();
        // users/{u}/messages[/{id}[/$value|/permanentDelete|/move]]
        if (s.length >= 3 && s[2].equals("messages")) {
            if (s.length == 3 && method.equals("GET")) {
                return list(request, mailbox, m -> true, "users/" + s[1] + "/messages");
            }
            FakeMessage message = s.length >= 4 ? mailbox.find(s[3]) : null;
            if (message == null || message.folderId.equals(mailbox.purges)) {
                return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
            if (s.length == 4 && method.equals("GET")) {
                return Answer.json(
                        200,
                        messageJson(mailbox, message, immutable, request.query().get("$select")));
            }
            if (s.length == 4 && method.equals("DELETE")) {
                moveTo(mailbox, message, mailbox.deletions);
                return Answer.empty(204);
            }
            if (s.length == 5 && s[4].equals("$value") && method.equals("GET")) {
                return new Answer(200, Map.of("Content-Type", "text/plain"), message.mime);
            }
            if (s.length == 5 && s[4].equals("permanentDelete") && method.equals("POST")) {
                moveTo(mailbox, message, mailbox.purges);
                permanentDeletes
                        .computeIfAbsent(message.immutableId, k -> new AtomicInteger())
                        .incrementAndGet();
                maybeHold(message);
                return Answer.empty(204);
            }
            if (s.length == 5 && s[4].equals("move") && method.equals("POST")) {
                JsonNode body = parse(request.body());
                // Graph reads property names case-insensitively; the Java SDK sends "DestinationId".
                String destination = field(body, "destinationId");
                Optional<String> target = destination == null ? Optional.empty() : mailbox.folderId(destination);
                if (target.isEmpty()) {
                    return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
                }
                moveTo(mailbox, message, target.get());
                return Answer.json(201, messageJson(mailbox, message, immutable, null));
            }
            return error(405, "Request_BadRequest", "Unsupported method or path.");
        }
        if (s.length >= 3 && s[2].equals("mailFolders")) {
            if (s.length == 3 && method.equals("GET")) {
                return folders(request, mailbox);
            }
            if (s.length == 3 && method.equals("POST")) {
                JsonNode body = parse(request.body());
                String displayName = field(body, "displayName");
                if (displayName == null) {
                    return error(400, "ErrorInvalidRequest", "displayName is required.");
                }
                Folder folder = new Folder("AAMkAGF" + randomId(), displayName, hiddenFlag(body));
                mailbox.folders.put(folder.id, folder);
                return Answer.json(201, folderJson(folder));
            }
            Optional<String> folderId = mailbox.folderId(s[3]);
            if (folderId.isEmpty()) {
                return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
            if (s.length == 4 && method.equals("GET")) {
                return Answer.json(200, folderJson(mailbox.folders.get(folderId.get())));
            }
            if (s.length == 5 && s[4].equals("messages") && method.equals("GET")) {
                return list(
                        request,
                        mailbox,
                        m -> m.folderId.equals(folderId.get()),
                        "users/" + s[1] + "/mailFolders/" + s[3] + "/messages");
            }
            if (s.length == 5 && s[4].equals("messages") && method.equals("POST")) {
                return createMessage(request, mailbox, folderId.get(), immutable);
            }
        }
        return error(400, "BadRequest", "Unsupported segment in the fake: " + String.join("/", s));
    }

    private Answer createMessage(Request request, Mailbox mailbox, String folderId, boolean immutable) {
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
            return error(400, "ErrorMimeContentInvalid", "The fake creates messages from MIME only (text/plain).");
        }
        byte[] mime;
        try {
            mime = Base64.getMimeDecoder().decode(request.body());
        } catch (IllegalArgumentException e) {
            return error(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.");
        }
        FakeMessage message = fromMime(folderId, mime, Instant.now(), true);
        mailbox.messages.put(message.immutableId, message);
        return Answer.json(201, messageJson(mailbox, message, immutable, null));
    }

    private static void moveTo(Mailbox mailbox, FakeMessage message, String folderId) {
        if (!message.folderId.equals(folderId)) {
            message.folderId = folderId;
            message.regularId = "AAMkAD" + randomId() + "=";
        }
    }

    private Answer list(Request request, Mailbox mailbox, Predicate<FakeMessage> scope, String relative) {
        Map<String, String> q = request.query();
        Predicate<FakeMessage> filter = m -> true;
        if (q.containsKey("$filter")) {
            try {
                filter = ODataFilterEvaluator.compile(q.get("$filter"), FakeGraphServer::property);
                // Evaluate once on a dummy to surface syntax errors as 400 even on empty mailboxes.
                filter.test(new FakeMessage("x", "x", "x", new byte[0], "", "", "", Instant.EPOCH, false));
            } catch (ODataFilterEvaluator.FilterException e) {
                return error(400, "BadRequest", e.getMessage());
            }
        }
        int top = q.containsKey("$top") ? Integer.parseInt(q.get("$top")) : 10;
        int skip = q.containsKey("$skip") ? Integer.parseInt(q.get("$skip")) : 0;
        if (top < 1 || top > 1000) {
            return error(400, "ErrorInvalidArgument", "$top must be 1 to 1000.");
        }
        Predicate<FakeMessage> f = filter;
        List<FakeMessage> all = mailbox.messages.values().stream()
                .filter(m -> !m.folderId.equals(mailbox.purges) && !m.folderId.equals(mailbox.deletions))
                .filter(scope)
                .filter(m -> {
                    try {
                        return f.test(m);
                    } catch (ODataFilterEvaluator.FilterException e) {
                        return false;
                    }
                })
                .sorted(Comparator.comparing((FakeMessage m) -> m.received)
                        .reversed()
                        .thenComparing(m -> m.immutableId))
                .toList();
        ObjectNode body = JSON.createObjectNode();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users('" + "x" + "')/messages");
        ArrayNode value = body.putArray("value");
        for (FakeMessage m : all.subList(Math.min(skip, all.size()), Math.min(skip + top, all.size()))) {
            value.add(messageJson(mailbox, m, request.immutableIds(), q.get("$select")));
            listedMessages.incrementAndGet();
        }
        if (skip + top < all.size()) {
            StringBuilder next =
                    new StringBuilder(baseUrl()).append('/').append(relative).append('?');
            Map<String, String> nq = new LinkedHashMap<>(q);
            nq.put("$skip", String.valueOf(skip + top));
            nq.put("$top", String.valueOf(top));
            nq.forEach((k, v) ->
                    next.append(encode(k)).append('=').append(encode(v)).append('&'));
            next.setLength(next.length() - 1);
            body.put("@odata.nextLink", next.toString());
        }
        return Answer.json(200, body);
    }

    private Answer folders(Request request, Mailbox mailbox) {
        boolean hidden = "true".equalsIgnoreCase(request.query().get("includeHiddenFolders"));
        Predicate<Folder> filter = f -> true;
        if (request.query().containsKey("$filter")) {
            try {
                Predicate<Folder> compiled = ODataFilterEvaluator.compile(
                        request.query().get("$filter"),
                        (Folder f, String p) ->
                                p.equals("displayName") ? f.displayName : ODataFilterEvaluator.Unknown.PROPERTY);
                compiled.test(new Folder("x", "x", false));
                filter = compiled;
            } catch (ODataFilterEvaluator.FilterException e) {
                return error(400, "BadRequest", e.getMessage());
            }
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (Folder folder : mailbox.folders.values()) {
            if ((hidden || !folder.hidden)
                    && !folder.id.equals(mailbox.purges)
                    && !folder.id.equals(mailbox.deletions)
                    && filter.test(folder)) {
                value.add(folderJson(folder));
            }
        }
        return Answer.json(200, body);
    }

    private Answer batch(Request request) {
        batches.incrementAndGet();
        JsonNode body = parse(request.body());
        if (body == null || !body.path("requests").isArray()) {
            return error(400, "BadRequest", "Invalid batch payload format.");
        }
        if (body.get("requests").size() > 20) {
            return error(
                    400,
                    "BadRequest",
                    "Unable to deserialize content. Number of requests in a batch cannot exceed 20.");
        }
        List<Future<ObjectNode>> results = new ArrayList<>();
        for (JsonNode item : body.get("requests")) {
            results.add(executor.submit(() -> {
                String url = item.path("url").asText("");
                String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
                String rawQuery = url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
                Map<String, String> headers = new LinkedHashMap<>();
                item.path("headers")
                        .fields()
                        .forEachRemaining(
                                e -> headers.put(e.getKey(), e.getValue().asText()));
                byte[] content = item.has("body") ? JSON.writeValueAsBytes(item.get("body")) : new byte[0];
                Request sub = new Request(
                        item.path("method").asText("GET"),
                        "/v1.0" + (path.startsWith("/") ? path : "/" + path),
                        query(rawQuery),
                        headers,
                        content);
                Answer answer = limited(sub, sub.path().substring("/v1.0".length()));
                ObjectNode response = JSON.createObjectNode();
                response.put("id", item.path("id").asText());
                response.put("status", answer.status());
                ObjectNode h = response.putObject("headers");
                answer.headers().forEach(h::put);
                if (answer.body().length > 0) {
                    JsonNode parsed = parse(answer.body());
                    if (parsed != null) {
                        response.set("body", parsed);
                    } else {
                        response.put("body", Base64.getEncoder().encodeToString(answer.body()));
                    }
                }
                return response;
            }));
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode responses = out.putArray("responses");
        for (Future<ObjectNode> result : results) {
            try {
                responses.add(result.get());
            } catch (Exception e) {
                return error(500, "generalException", "batch item failed: " + e);
            }
        }
        return Answer.json(200, out);
    }

    // ---- model ----

    private static final class Folder {
        final String id;
        final String displayName;
        final boolean hidden;

        Folder(String id, String displayName, boolean hidden) {
            this.id = id;
            this.displayName = displayName;
            this.hidden = hidden;
        }
    }

    private static final class Mailbox {
        final Map<String, FakeMessage> messages = new ConcurrentHashMap<>();
        final Map<String, Folder> folders = new ConcurrentHashMap<>();
        final Map<String, String> wellKnown = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong retryUntil = new AtomicLong(Long.MIN_VALUE);
        final Deque<Long> window = new ArrayDeque<>();
        final java.util.Queue<Fault> faults = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final String deletions;
        final String purges;

        Mailbox() {
            for (String name : WELL_KNOWN) {
                Folder folder = new Folder("AAMkAGI" + randomId(), displayName(name), name.startsWith("recoverable"));
                folders.put(folder.id, folder);
                wellKnown.put(name, folder.id);
            }
            deletions = wellKnown.get("recoverableitemsdeletions");
            purges = wellKnown.get("recoverableitemspurges");
        }

        Optional<String> folderId(String nameOrId) {
            String wk = wellKnown.get(nameOrId.toLowerCase(Locale.ROOT));
            if (wk != null) {
                return Optional.of(wk);
            }
            if (folders.containsKey(nameOrId)) {
                return Optional.of(nameOrId);
            }
            return folders.values().stream()
                    .filter(f -> f.displayName.equals(nameOrId))
                    .map(f -> f.id)
                    .findFirst();
        }

        FakeMessage find(String id) {
            FakeMessage byImmutable = messages.get(id);
            if (byImmutable != null) {
                return byImmutable;
            }
            return messages.values().stream()
                    .filter(m -> m.regularId.equals(id))
                    .findFirst()
                    .orElse(null);
        }

        void startWait(String retryAfter) {
            long nanos;
            if (retryAfter.matches("\\d+")) {
                nanos = Duration.ofSeconds(Long.parseLong(retryAfter)).toNanos();
            } else {
                try {
                    Instant at = ZonedDateTime.parse(retryAfter, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    nanos = Duration.between(Instant.now(), at).toNanos();
                } catch (RuntimeException e) {
                    return;
                }
            }
            long until = System.nanoTime() + nanos;
            retryUntil.accumulateAndGet(until, Math::max);
        }

        private static String displayName(String wellKnown) {
            return switch (wellKnown) {
                case "inbox" -> "Inbox";
                case "sentitems" -> "Sent Items";
                case "deleteditems" -> "Deleted Items";
                case "drafts" -> "Drafts";
                case "recoverableitemsdeletions" -> "Deletions";
                default -> "Purges";
            };
        }
    }

    private Mailbox mailbox(String address, boolean create) {
        return create ? mailboxes.computeIfAbsent(key(address), k -> new Mailbox()) : mailboxes.get(key(address));
    }

    private static Object property(FakeMessage m, String path) {
        return switch (path) {
            case "internetMessageId" -> m.internetMessageId;
            case "subject" -> m.subject;
            case "from/emailAddress/address", "sender/emailAddress/address" -> m.from;
            case "receivedDateTime" -> m.received;
            case "isDraft" -> m.draft;
            case "parentFolderId" -> m.folderId;
            default -> ODataFilterEvaluator.Unknown.PROPERTY;
        };
    }

    private static FakeMessage fromMime(String folderId, byte[] mime, Instant received, boolean draft) {
        Map<String, String> headers = headers(mime);
        String from = headers.getOrDefault("from", "");
        int lt = from.lastIndexOf('<');
        int gt = from.lastIndexOf('>');
        String address = lt >= 0 && gt > lt ? from.substring(lt + 1, gt) : from.trim();
        return new FakeMessage(
                "AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A" + randomId(),
                "AAMkAD" + randomId() + "=",
                folderId,
                mime.clone(),
                headers.getOrDefault("message-id", ""),
                headers.getOrDefault("subject", ""),
                address,
                received.truncatedTo(ChronoUnit.SECONDS),
                draft);
    }

    /** The text after the header block, as Graph's {@code body} of a plain-text message shows it. */
    private static String bodyText(byte[] mime) {
        String text = new String(mime, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? "" : text.substring(end + 4);
    }

    private static Map<String, String> headers(byte[] mime) {
        String text = new String(mime, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            end = text.indexOf("\n\n");
        }
        String block = end < 0 ? text : text.substring(0, end);
        Map<String, String> headers = new LinkedHashMap<>();
        String name = null;
        for (String line : block.split("\r?\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
                headers.put(name, headers.get(name) + line);
            } else if (line.indexOf(':') > 0) {
                name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                if (!headers.containsKey(name)) {
                    headers.put(name, line.substring(line.indexOf(':') + 1).trim());
                } else {
                    name = null;
                }
            }
        }
        return headers;
    }

    private ObjectNode messageJson(Mailbox mailbox, FakeMessage m, boolean immutable, String select) {
        String id = immutable ? m.immutableId : m.regularId;
        ObjectNode node = JSON.createObjectNode();
        node.put("@odata.etag", "W/\"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAW/0tB\"");
        node.put("id", id);
        node.put("createdDateTime", m.received.toString());
        node.put("lastModifiedDateTime", m.received.toString());
        node.put("changeKey", "CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAW/0tB");
        node.putArray("categories");
        node.put("receivedDateTime", m.received.toString());
        node.put("sentDateTime", m.received.toString());
        node.put("hasAttachments", false);
        node.put("internetMessageId", m.internetMessageId);
        node.put("subject", m.subject);
        node.put("bodyPreview", "");
        node.put("importance", "normal");
        node.put("parentFolderId", m.folderId);
        node.put("conversationId", "AAQkADhJzfbkARFhe5kKhjihSA=");
        node.putNull("isDeliveryReceiptRequested");
        node.put("isReadReceiptRequested", false);
        node.put("isRead", m.read);
        node.put("isDraft", m.draft);
        node.put(
                "webLink",
                "https://outlook.office365.com/owa/?ItemID=" + encode(id) + "&exvsurl=1&viewmodel=ReadMessageItem");
        node.put("inferenceClassification", "focused");
        ObjectNode body = node.putObject("body");
        body.put("contentType", "text");
        body.put("content", bodyText(m.mime));
        ObjectNode address = JSON.createObjectNode();
        address.putObject("emailAddress").put("name", m.from).put("address", m.from);
        node.set("sender", address);
        node.set("from", address.deepCopy());
        node.putArray("toRecipients");
        node.putArray("ccRecipients");
        node.putArray("bccRecipients");
        node.putArray("replyTo");
        node.putObject("flag").put("flagStatus", "notFlagged");
        if (select == null) {
            return node;
        }
        ObjectNode selected = JSON.createObjectNode();
        selected.put("@odata.etag", node.get("@odata.etag").asText());
        selected.put("id", id);
        for (String field : select.split(",")) {
            if (node.has(field.trim())) {
                selected.set(field.trim(), node.get(field.trim()));
            }
        }
        return selected;
    }

    private static ObjectNode folderJson(Folder folder) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", folder.id);
        node.put("displayName", folder.displayName);
        node.putNull("parentFolderId");
        node.put("childFolderCount", 0);
        node.put("unreadItemCount", 0);
        node.put("totalItemCount", 0);
        node.put("isHidden", folder.hidden);
        return node;
    }

    private static Answer error(int status, String code, String message) {
        ObjectNode inner = JSON.createObjectNode();
        inner.put(
                "date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ""));
        inner.put("request-id", UUID.randomUUID().toString());
        inner.put("client-request-id", UUID.randomUUID().toString());
        ObjectNode error = JSON.createObjectNode();
        error.put("code", code);
        error.put("message", message);
        error.set("innerError", inner);
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        return Answer.json(status, body);
    }

    private static boolean hiddenFlag(JsonNode body) {
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase("isHidden")) {
                return body.get(candidate).asBoolean(false);
            }
        }
        return false;
    }

    /** A text property, its name matched case-insensitively as Graph does. */
    private static String field(JsonNode body, String name) {
        if (body == null || !body.isObject()) {
            return null;
        }
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name) && body.get(candidate).isTextual()) {
                return body.get(candidate).asText();
            }
        }
        return null;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String[] segments(String path) {
        List<String> out = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                out.add(decode(segment, false));
            }
        }
        return out.toArray(new String[0]);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            out.put(k, v);
        }
        return out;
    }

    /** Percent-decodes as UTF-8; in a query, {@code +} is a space. */
    private static String decode(String text, boolean query) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() + 0 && i + 2 <= text.length() - 1) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '+' && query) {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String randomId() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
