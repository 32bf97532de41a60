package org.sluice.connector.gmail.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * A fake Gmail API and OAuth token endpoint on 127.0.0.1, for tests. It serves what the Gmail connector uses, in the
 * shapes Google documents: {@code POST /token} (JWT bearer grant of a service account with domain-wide delegation:
 * the assertion's signature, issuer, audience, scope and expiry are checked, and the token acts as the assertion's
 * {@code sub}), and under {@code /gmail/v1/users/{userId}/messages}: list with {@code q} and paging, get ({@code
 * raw}, {@code metadata}, {@code minimal}, {@code full}), delete, trash and insert. Errors use Google's envelope
 * ({@code {"error":{"code","message","errors":[{"domain","reason","message"}],"status"}}}).
 *
 * <p><b>Search.</b> {@code q} accepts only the operators the connector uses ({@code rfc822msgid:}, {@code from:},
 * {@code subject:}, {@code after:}, {@code before:}), each with a bare word or a double-quoted phrase; anything else
 * (a bare word, {@code OR}, {@code -x}, parentheses, braces, an unclosed quote) is answered 400 {@code
 * invalidArgument}, as Gmail answers queries it cannot parse. Matching is deliberately loose, as a search engine's
 * is: a phrase matches when its words (runs of letters and digits, any case) occur in a row among the field's words,
 * so {@code "a b@x"} also finds {@code <a.b@x>}. Clients must re-check hits.
 *
 * <p><b>Limits.</b> Each user has a budget of quota units per window (Gmail: 15,000 per minute; list and get 5, trash
 * 5, delete 10, insert 25). A request over it is refused with 429 (or 403 {@code rateLimitExceeded}, a setting) whose
 * message says "Retry after &lt;RFC 3339 time&gt;" and, by default, with a Retry-After header; it counts as a limit
 * violation. A request from a user who was told to wait, sent before the wait is over, counts as an early request.
 * Tests inject faults (429, 403 rate limits, 503, {@code dailyLimitExceeded}) for the next requests, and can hold a
 * request open ({@link #holdNext}).
 */
public final class FakeGmailServer implements AutoCloseable {

    /** The scope the token endpoint requires. */
    public static final String SCOPE = "https://mail.google.com/";

    /** The audience Google requires in service account assertions, whatever URL the token is fetched from. */
    public static final String AUDIENCE = "https://oauth2.googleapis.com/token";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern TERM =
            Pattern.compile("([a-z0-9]+):(\"[^\"]*\"|[^\\s\"(){}]+)", Pattern.CASE_INSENSITIVE);
    private static final Set<String> OPERATORS = Set.of("rfc822msgid", "from", "subject", "after", "before");
    private static final Set<String> SYSTEM_LABELS = Set.of(
            "INBOX", "UNREAD", "STARRED", "IMPORTANT", "SENT", "DRAFT", "SPAM", "TRASH", "CHAT",
            "CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS", "CATEGORY_UPDATES", "CATEGORY_FORUMS");
    private static final Pattern USER_LABEL = Pattern.compile("Label_[0-9A-Za-z_]+");

    /** A fault answered instead of the next matching Gmail request. */
    public enum Fault {
        /** 429 with reason rateLimitExceeded, the wait in the Retry-After header and in the message text. */
        TOO_MANY_REQUESTS,
        /** 403 rateLimitExceeded with the wait only in the message text ("Retry after ..."). */
        RATE_LIMIT_403,
        /** 403 userRateLimitExceeded with the wait in the Retry-After header only. */
        USER_RATE_LIMIT_403,
        /** 503 backendError with a Retry-After header. */
        UNAVAILABLE,
        /** 403 dailyLimitExceeded. */
        DAILY_LIMIT,
        /** A given status and body, verbatim (see {@link FakeGmailServer#injectBody}). */
        CANNED
    }

    /**
     * A request held open by the server: admitted and counted, not yet carried out or answered. Crash tests use it
     * to stop the caller while a call is in flight.
     */
    public static final class Hold {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Waits until the held request has arrived; false when it did not within {@code timeout}. */
        public boolean awaitArrival(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets the held request be carried out and answered. */
        public void release() {
            released.countDown();
        }
    }

    /** One stored message. */
    public record StoredMessage(String id, byte[] raw, List<String> labels, long internalDate) {}

    /** Units a user spent at a moment. */
    private record Spend(Instant at, int units) {}

    private record Injected(String user, Fault fault, Duration delay, int status, String body, String header) {}

    private final String clientEmail;
    private final PublicKey publicKey;
    private final Clock clock;
    private final Server server;
    private final ServerConnector connector;

    private final Object lock = new Object();
    private final Map<String, Map<String, StoredMessage>> mailboxes = new LinkedHashMap<>();
    /** User labels by user, id to name. */
    private final Map<String, Map<String, String>> userLabels = new HashMap<>();
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, Deque<Spend>> spent = new HashMap<>();
    private final Map<String, Instant> toldToWait = new HashMap<>();
    private final Deque<Injected> faults = new ArrayDeque<>();
    private final Map<String, AtomicLong> counters = new HashMap<>();
    private final Map<String, Hold> holds = new HashMap<>();
    private final AtomicLong ids = new AtomicLong(0x18c0_0000_0000L);

    private volatile int unitsPerWindow = 15_000;
    private volatile Duration window = Duration.ofMinutes(1);
    private volatile boolean quotaAs403;
    private volatile boolean retryAfterHeaderOnQuota = true;

    /**
     * @param clientEmail the service account allowed to ask for tokens
     * @param publicKey its key, which verifies the assertions' signatures
     */
    public FakeGmailServer(String clientEmail, PublicKey publicKey) {
        this(clientEmail, publicKey, Clock.systemUTC());
    }

    public FakeGmailServer(String clientEmail, PublicKey publicKey, Clock clock) {
        this.clientEmail = clientEmail;
        this.publicKey = publicKey;
        this.clock = clock;
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                base.setHandled(true);
                serve(target, request, response);
            }
        });
    }

    /** Starts listening on a free port of 127.0.0.1. */
    public FakeGmailServer start() throws Exception {
        server.start();
        return this;
    }

    @Override
    public void close() throws Exception {
        synchronized (lock) {
            holds.values().forEach(Hold::release);
            holds.clear();
        }
        server.stop();
    }

    /**
     * Holds the next Gmail request of {@code action} ({@code list}, {@code get}, {@code delete}, {@code trash},
     * {@code insert}) open once it is admitted, before it takes effect, until the returned hold is released (or the
     * server closes, or five minutes pass).
     */
    public Hold holdNext(String action) {
        Hold hold = new Hold();
        synchronized (lock) {
            holds.put(action, hold);
        }
        return hold;
    }

    /** The Gmail API root URL, ending in a slash. */
    public String rootUrl() {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/";
    }

    /** The token endpoint's URL. */
    public String tokenUri() {
        return rootUrl() + "token";
    }

    /** Sets each user's budget: {@code units} per {@code per} (Gmail: 15,000 per minute). */
    public void setQuota(int units, Duration per) {
        this.unitsPerWindow = units;
        this.window = per;
    }

    /** Refuses over-quota requests with 403 rateLimitExceeded instead of 429. */
    public void setQuotaAnswer403(boolean as403) {
        this.quotaAs403 = as403;
    }

    /** Whether quota refusals carry a Retry-After header besides the time in the message (default true). */
    public void setRetryAfterHeaderOnQuota(boolean header) {
        this.retryAfterHeaderOnQuota = header;
    }

    /** Creates an empty mailbox; tokens are issued only for existing mailboxes. */
    public void addUser(String user) {
        synchronized (lock) {
            mailboxes.computeIfAbsent(user.toLowerCase(Locale.ROOT), u -> new LinkedHashMap<>());
        }
    }

    /** Stores a message and returns its id. */
    public String addMessage(String user, byte[] raw, List<String> labels, Instant internalDate) {
        synchronized (lock) {
            String id = Long.toHexString(ids.incrementAndGet());
            mailbox(user).put(id, new StoredMessage(id, raw.clone(), List.copyOf(labels), internalDate.toEpochMilli()));
            return id;
        }
    }

    /** The messages of a mailbox now. */
    public List<StoredMessage> messages(String user) {
        synchronized (lock) {
            return List.copyOf(mailbox(user).values());
        }
    }

    /** Answers the next Gmail request (of {@code user}, or of anyone when {@code null}) with {@code fault}. */
    public void inject(String user, Fault fault, Duration wait) {
        synchronized (lock) {
            faults.add(new Injected(user == null ? null : user.toLowerCase(Locale.ROOT), fault, wait, 0, null, null));
        }
    }

    /**
     * Answers the next Gmail request (of {@code user}, or of anyone) with {@code status} and {@code body} as given
     * (such as an error body published by Google, even one that is not valid JSON), with a Retry-After header of
     * {@code retryAfter} when it is not {@code null}.
     */
    public void injectBody(String user, int status, String body, String retryAfter) {
        synchronized (lock) {
            faults.add(new Injected(
                    user == null ? null : user.toLowerCase(Locale.ROOT), Fault.CANNED, null, status, body, retryAfter));
        }
    }

    /**
     * A counter: {@code requests}, {@code list}, {@code get}, {@code delete}, {@code trash}, {@code insert}, {@code
     * token}, {@code badQuery}, {@code injected}, {@code limitViolations} (requests refused for exceeding a user's
     * budget) and {@code earlyRequests} (requests sent before a wait the server asked for had passed).
     */
    public long count(String name) {
        synchronized (lock) {
            AtomicLong counter = counters.get(name);
            return counter == null ? 0 : counter.get();
        }
    }

    /** The quota units a user has spent in the current window. */
    public int unitsInWindow(String user) {
        synchronized (lock) {
            return used(user.toLowerCase(Locale.ROOT), clock.instant());
        }
    }

    private void bump(String name) {
        counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    private Map<String, StoredMessage> mailbox(String user) {
        Map<String, StoredMessage> box = mailboxes.get(user.toLowerCase(Locale.ROOT));
        if (box == null) {
            throw new IllegalArgumentException("no mailbox " + user + " in the fake");
        }
        return box;
    }

    // ---- HTTP ----

    private void serve(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (path.equals("/token")) {
                token(request, response);
                return;
            }
            String prefix = "/gmail/v1/users/";
            if (!path.startsWith(prefix)) {
                error(response, 404, "notFound", "global", "Not Found", null);
                return;
            }
            gmail(path.substring(prefix.length()), request, response);
        } catch (RuntimeException e) {
            error(response, 500, "backendError", "global", "Internal error: " + e, null);
        }
    }

    private void token(HttpServletRequest request, HttpServletResponse response) throws IOException {
        synchronized (lock) {
            bump("token");
        }
        Map<String, String> form = form(new String(body(request), StandardCharsets.UTF_8));
        if (!"POST".equals(request.getMethod())
                || !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            oauthError(response, "unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type"));
            return;
        }
        String assertion = form.get("assertion");
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
        if (parts.length != 3) {
            oauthError(response, "invalid_request", "Invalid JWT");
            return;
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!"RS256".equals(header.path("alg").asText()) || !rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                oauthError(response, "invalid_grant", "Invalid JWT Signature.");
                return;
            }
            long now = clock.instant().getEpochSecond();
            if (!clientEmail.equals(claims.path("iss").asText())) {
                oauthError(response, "invalid_client", "The OAuth client was not found.");
                return;
            }
            if (!AUDIENCE.equals(claims.path("aud").asText())) {
                oauthError(response, "invalid_grant", "Invalid JWT: audience is " + claims.path("aud").asText());
                return;
            }
            if (claims.path("exp").asLong() < now || claims.path("iat").asLong() > now + 300) {
                oauthError(response, "invalid_grant", "Invalid JWT: Token must be a short-lived token");
                return;
            }
            if (!List.of(claims.path("scope").asText().split(" ")).contains(SCOPE)) {
                oauthError(response, "unauthorized_client", "Client is unauthorized to retrieve access tokens"
                        + " using this method, or client not authorized for any of the scopes requested.");
                return;
            }
            String sub = claims.path("sub").asText("").toLowerCase(Locale.ROOT);
            String token;
            synchronized (lock) {
                if (sub.isEmpty() || !mailboxes.containsKey(sub)) {
                    oauthError(response, "invalid_grant", "Invalid email or User ID");
                    return;
                }
                token = "ya29.fake-" + UUID.randomUUID();
                tokens.put(token, sub);
            }
            ObjectNode body = JSON.createObjectNode()
                    .put("access_token", token)
                    .put("expires_in", 3599)
                    .put("token_type", "Bearer");
            send(response, 200, body);
        } catch (IllegalArgumentException | IOException | java.security.GeneralSecurityException e) {
            oauthError(response, "invalid_request", "Invalid JWT: " + e.getMessage());
        }
    }

    private void gmail(String rest, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] parts = rest.split("/");
        String method = request.getMethod();
        String auth = request.getHeader("Authorization");
        String tokenUser;
        synchronized (lock) {
            bump("requests");
            tokenUser = auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
        }
        if (tokenUser == null) {
            error(response, 401, "authError", "global", "Invalid Credentials", null);
            return;
        }
        String userId = URLDecoder.decode(parts[0], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        if (!userId.equals("me") && !userId.equals(tokenUser)) {
            error(response, 403, "forbidden", "global", "Delegation denied for " + tokenUser, null);
            return;
        }
        String action;
        int units;
        if (parts.length == 2 && parts[1].equals("messages") && method.equals("GET")) {
            action = "list";
            units = 5;
        } else if (parts.length == 2 && parts[1].equals("messages") && method.equals("POST")) {
            action = "insert";
            units = 25;
        } else if (parts.length == 3 && parts[1].equals("messages") && method.equals("GET")) {
            action = "get";
            units = 5;
        } else if (parts.length == 3 && parts[1].equals("messages") && method.equals("DELETE")) {
            action = "delete";
            units = 10;
        } else if (parts.length == 4 && parts[1].equals("messages") && parts[3].equals("trash") && method.equals("POST")) {
            action = "trash";
            units = 5;
        } else if (parts.length == 4
                && parts[1].equals("messages")
                && parts[3].equals("modify")
                && method.equals("POST")) {
            action = "modify";
            units = 5;
        } else if (parts.length == 2 && parts[1].equals("labels") && method.equals("GET")) {
            action = "labels";
            units = 1;
        } else if (parts.length == 2 && parts[1].equals("labels") && method.equals("POST")) {
            action = "createLabel";
            units = 5;
        } else {
            error(response, 404, "notFound", "global", "Not Found", null);
            return;
        }
        if (!admit(tokenUser, units, response)) {
            return;
        }
        Hold hold;
        synchronized (lock) {
            bump(action);
            hold = holds.remove(action);
        }
        if (hold != null) {
            hold.arrived.countDown();
            try {
                hold.released.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        switch (action) {
            case "list" -> list(tokenUser, request, response);
            case "insert" -> insert(tokenUser, request, response);
            case "get" -> get(tokenUser, parts[2], request, response);
            case "delete" -> delete(tokenUser, parts[2], response);
            case "modify" -> modify(tokenUser, parts[2], request, response);
            case "labels" -> labels(tokenUser, response);
            case "createLabel" -> createLabel(tokenUser, request, response);
            default -> trash(tokenUser, parts[2], response);
        }
    }

    /** Counts early requests, answers injected faults and enforces the user's budget; true when the call may run. */
    private boolean admit(String user, int units, HttpServletResponse response) throws IOException {
        Instant now = clock.instant();
        Injected fault = null;
        boolean overQuota = false;
        Instant retryAt = null;
        synchronized (lock) {
            Instant waitUntil = toldToWait.get(user);
            if (waitUntil != null && now.isBefore(waitUntil)) {
                bump("earlyRequests");
            }
            for (Injected candidate : faults) {
                if (candidate.user() == null || candidate.user().equals(user)) {
                    fault = candidate;
                    break;
                }
            }
            if (fault != null) {
                faults.remove(fault);
                bump("injected");
                if (fault.delay() != null && fault.fault() != Fault.DAILY_LIMIT) {
                    toldToWait.merge(user, now.plus(fault.delay()), (a, b) -> a.isAfter(b) ? a : b);
                }
            } else {
                int used = used(user, now);
                if (used + units > unitsPerWindow) {
                    overQuota = true;
                    bump("limitViolations");
                    retryAt = oldestExpiry(user, used + units - unitsPerWindow);
                    toldToWait.merge(user, retryAt, (a, b) -> a.isAfter(b) ? a : b);
                } else {
                    spent.computeIfAbsent(user, u -> new ArrayDeque<>())
                            .add(new Spend(now, units));
                }
            }
        }
        if (fault != null) {
            answerFault(fault, now, response);
            return false;
        }
        if (overQuota) {
            String text = "User-rate limit exceeded.  Retry after " + DateTimeFormatter.ISO_INSTANT.format(retryAt);
            Duration wait = Duration.between(now, retryAt);
            String header = retryAfterHeaderOnQuota ? String.valueOf((wait.toMillis() + 999) / 1000) : null;
            if (quotaAs403) {
                error(response, 403, "rateLimitExceeded", "usageLimits", text, header);
            } else {
                error(response, 429, "rateLimitExceeded", "usageLimits", text, header);
            }
            return false;
        }
        return true;
    }

    private void answerFault(Injected fault, Instant now, HttpServletResponse response) throws IOException {
        Duration wait = fault.delay() == null ? Duration.ZERO : fault.delay();
        String seconds = String.valueOf((wait.toMillis() + 999) / 1000);
        String at = DateTimeFormatter.ISO_INSTANT.format(now.plus(wait));
        switch (fault.fault()) {
            case TOO_MANY_REQUESTS -> error(
                    response,
                    429,
                    "rateLimitExceeded",
                    "usageLimits",
                    "User-rate limit exceeded.  Retry after " + at,
                    seconds);
            case RATE_LIMIT_403 -> error(
                    response, 403, "rateLimitExceeded", "usageLimits", "Rate Limit Exceeded. Retry after " + at, null);
            case USER_RATE_LIMIT_403 -> error(
                    response, 403, "userRateLimitExceeded", "usageLimits", "User rate limit exceeded.", seconds);
            case UNAVAILABLE -> error(
                    response,
                    503,
                    "backendError",
                    "global",
                    "We encountered an internal error. Please try again using truncated exponential backoff.",
                    fault.delay() == null ? null : seconds);
            case DAILY_LIMIT -> error(response, 403, "dailyLimitExceeded", "usageLimits", "Daily Limit Exceeded", null);
            case CANNED -> {
                if (fault.header() != null) {
                    response.setHeader("Retry-After", fault.header());
                }
                byte[] bytes = fault.body().getBytes(StandardCharsets.UTF_8);
                response.setStatus(fault.status());
                response.setContentType("application/json; charset=UTF-8");
                response.setContentLength(bytes.length);
                response.getOutputStream().write(bytes);
            }
        }
    }

    private int used(String user, Instant now) {
        Deque<Spend> entries = spent.get(user);
        if (entries == null) {
            return 0;
        }
        Instant start = now.minus(window);
        entries.removeIf(e -> !e.at().isAfter(start));
        int sum = 0;
        for (Spend e : entries) {
            sum += e.units();
        }
        return sum;
    }

    /** When enough of the user's spent units have left the window to free {@code excess} units. */
    private Instant oldestExpiry(String user, int excess) {
        int freed = 0;
        for (Spend e : spent.getOrDefault(user, new ArrayDeque<>())) {
            freed += e.units();
            if (freed >= excess) {
                return e.at().plus(window);
            }
        }
        return clock.instant().plus(window);
    }

    private void list(String user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Map.Entry<String, String>> terms;
        try {
            terms = parseQuery(request.getParameter("q"));
        } catch (IllegalArgumentException e) {
            synchronized (lock) {
                bump("badQuery");
            }
            error(response, 400, "invalidArgument", "global", "Invalid query: " + e.getMessage(), null);
            return;
        }
        boolean spamTrash = "true".equals(request.getParameter("includeSpamTrash"));
        List<String> labelIds = request.getParameterValues("labelIds") == null
                ? List.of()
                : List.of(request.getParameterValues("labelIds"));
        int max = request.getParameter("maxResults") == null ? 100 : Integer.parseInt(request.getParameter("maxResults"));
        if (max < 1 || max > 500) {
            error(response, 400, "invalidArgument", "global", "Invalid maxResults: " + max, null);
            return;
        }
        int offset = 0;
        String pageToken = request.getParameter("pageToken");
        if (pageToken != null && !pageToken.isEmpty()) {
            if (!pageToken.matches("p[0-9]{1,9}")) {
                error(response, 400, "invalidArgument", "global", "Invalid pageToken", null);
                return;
            }
            offset = Integer.parseInt(pageToken.substring(1));
        }
        List<StoredMessage> hits = new ArrayList<>();
        synchronized (lock) {
            for (StoredMessage message : mailbox(user).values()) {
                if (!spamTrash && (message.labels().contains("SPAM") || message.labels().contains("TRASH"))) {
                    continue;
                }
                if (matchesAll(message, terms) && message.labels().containsAll(labelIds)) {
                    hits.add(message);
                }
            }
        }
        hits.sort(Comparator.comparingLong(StoredMessage::internalDate)
                .reversed()
                .thenComparing(StoredMessage::id, Comparator.reverseOrder()));
        ObjectNode body = JSON.createObjectNode();
        int end = Math.min(hits.size(), offset + max);
        if (offset < end) {
            ArrayNode messages = body.putArray("messages");
            for (StoredMessage message : hits.subList(offset, end)) {
                messages.addObject().put("id", message.id()).put("threadId", message.id());
            }
        }
        if (end < hits.size()) {
            body.put("nextPageToken", "p" + end);
        }
        body.put("resultSizeEstimate", hits.size());
        send(response, 200, body);
    }

    /** Parses q strictly: operator:word or operator:"phrase" terms separated by spaces, nothing else. */
    static List<Map.Entry<String, String>> parseQuery(String q) {
        if (q == null || q.isBlank()) {
            return List.of();
        }
        List<Map.Entry<String, String>> terms = new ArrayList<>();
        String rest = q.trim();
        while (!rest.isEmpty()) {
            Matcher matcher = TERM.matcher(rest);
            if (!matcher.lookingAt()) {
                throw new IllegalArgumentException("cannot parse at '" + rest + "'");
            }
            String operator = matcher.group(1).toLowerCase(Locale.ROOT);
            if (!OPERATORS.contains(operator)) {
                throw new IllegalArgumentException("unknown operator '" + operator + "'");
            }
            String value = matcher.group(2);
            if (value.startsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            } else if (value.startsWith("-") || value.equalsIgnoreCase("OR") || value.contains("*")) {
                throw new IllegalArgumentException("operator value '" + value + "' must be quoted");
            }
            if ((operator.equals("after") || operator.equals("before"))
                    && !value.matches("[0-9]{1,12}|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}")) {
                throw new IllegalArgumentException(operator + ": needs epoch seconds or yyyy/mm/dd, got '" + value + "'");
            }
            terms.add(Map.entry(operator, value));
            rest = rest.substring(matcher.end());
            if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
                throw new IllegalArgumentException("terms must be separated by spaces at '" + rest + "'");
            }
            rest = rest.trim();
        }
        return terms;
    }

    private static boolean matchesAll(StoredMessage message, List<Map.Entry<String, String>> terms) {
        Map<String, String> headers = headers(message.raw());
        for (Map.Entry<String, String> term : terms) {
            String value = term.getValue();
            boolean match = switch (term.getKey()) {
                case "rfc822msgid" -> phraseIn(value, headers.get("message-id"));
                case "from" -> phraseIn(value, headers.get("from"));
                case "subject" -> phraseIn(value, headers.get("subject"));
                case "after" -> message.internalDate() >= epochMillis(value);
                case "before" -> message.internalDate() < epochMillis(value);
                default -> false;
            };
            if (!match) {
                return false;
            }
        }
        return true;
    }

    private static long epochMillis(String value) {
        if (value.contains("/")) {
            String[] ymd = value.split("/");
            return java.time.LocalDate.of(Integer.parseInt(ymd[0]), Integer.parseInt(ymd[1]), Integer.parseInt(ymd[2]))
                    .atStartOfDay(java.time.ZoneOffset.UTC)
                    .toInstant()
                    .toEpochMilli();
        }
        return Long.parseLong(value) * 1000;
    }

    /** Whether the phrase's words occur in a row among the field's words, ignoring case. */
    static boolean phraseIn(String phrase, String field) {
        if (field == null) {
            return false;
        }
        List<String> wanted = words(phrase);
        List<String> have = words(field);
        if (wanted.isEmpty()) {
            return false;
        }
        for (int i = 0; i + wanted.size() <= have.size(); i++) {
            if (have.subList(i, i + wanted.size()).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    private void get(String user, String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        StoredMessage message;
        synchronized (lock) {
            message = mailbox(user).get(id);
        }
        if (message == null) {
            notFound(response);
            return;
        }
        String format = request.getParameter("format") == null ? "full" : request.getParameter("format");
        ObjectNode body = minimal(message);
        switch (format) {
            case "minimal" -> {}
            case "raw" -> body.put("raw", Base64.getUrlEncoder().encodeToString(message.raw()));
            case "metadata", "full" -> {
                String[] wanted = request.getParameterValues("metadataHeaders");
                ObjectNode payload = body.putObject("payload");
                payload.put("mimeType", "text/plain");
                ArrayNode headers = payload.putArray("headers");
                for (String[] header : headerList(message.raw())) {
                    if (format.equals("full") || wanted == null || containsIgnoreCase(wanted, header[0])) {
                        headers.addObject().put("name", header[0]).put("value", header[1]);
                    }
                }
            }
            default -> {
                error(response, 400, "invalidArgument", "global", "Invalid value for format: " + format, null);
                return;
            }
        }
        send(response, 200, body);
    }

    private void delete(String user, String id, HttpServletResponse response) throws IOException {
        StoredMessage removed;
        synchronized (lock) {
            removed = mailbox(user).remove(id);
        }
        if (removed == null) {
            notFound(response);
            return;
        }
        response.setStatus(204);
    }

    /** {@code messages.modify}: adds and removes labels; unknown labels are refused, as Gmail does. */
    private void modify(String user, String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        JsonNode content;
        try {
            content = JSON.readTree(body(request));
        } catch (IOException e) {
            error(response, 400, "parseError", "global", "Parse Error", null);
            return;
        }
        StoredMessage modified;
        synchronized (lock) {
            Map<String, String> known = userLabels.getOrDefault(user.toLowerCase(Locale.ROOT), Map.of());
            for (JsonNode label : content.path("addLabelIds")) {
                if (!SYSTEM_LABELS.contains(label.asText()) && !known.containsKey(label.asText())) {
                    error(response, 400, "invalidArgument", "global", "Invalid label: " + label.asText(), null);
                    return;
                }
            }
            StoredMessage message = mailbox(user).get(id);
            if (message == null) {
                modified = null;
            } else {
                List<String> labels = new ArrayList<>(message.labels());
                for (JsonNode label : content.path("removeLabelIds")) {
                    labels.remove(label.asText());
                }
                for (JsonNode label : content.path("addLabelIds")) {
                    if (!labels.contains(label.asText())) {
                        labels.add(label.asText());
                    }
                }
                modified = new StoredMessage(id, message.raw(), List.copyOf(labels), message.internalDate());
                mailbox(user).put(id, modified);
            }
        }
        if (modified == null) {
            notFound(response);
            return;
        }
        send(response, 200, minimal(modified));
    }

    private void labels(String user, HttpServletResponse response) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode labels = body.putArray("labels");
        synchronized (lock) {
            for (String system : SYSTEM_LABELS) {
                labels.addObject().put("id", system).put("name", system).put("type", "system");
            }
            userLabels.getOrDefault(user.toLowerCase(Locale.ROOT), Map.of()).forEach((id, name) -> labels.addObject()
                    .put("id", id)
                    .put("name", name)
                    .put("type", "user"));
        }
        send(response, 200, body);
    }

    private void createLabel(String user, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        JsonNode content;
        try {
            content = JSON.readTree(body(request));
        } catch (IOException e) {
            error(response, 400, "parseError", "global", "Parse Error", null);
            return;
        }
        String name = content == null ? "" : content.path("name").asText("");
        if (name.isBlank()) {
            error(response, 400, "invalidArgument", "global", "Invalid label name", null);
            return;
        }
        String id;
        synchronized (lock) {
            Map<String, String> known =
                    userLabels.computeIfAbsent(user.toLowerCase(Locale.ROOT), u -> new LinkedHashMap<>());
            if (known.containsValue(name) || SYSTEM_LABELS.contains(name)) {
                error(response, 409, "failedPrecondition", "global", "Label name exists or conflicts", null);
                return;
            }
            id = "Label_" + (known.size() + 1);
            known.put(id, name);
        }
        send(response, 200, JSON.createObjectNode().put("id", id).put("name", name).put("type", "user"));
    }

    /** The ids of a mailbox's messages that carry a label (system name or user label id). */
    public List<String> withLabel(String user, String label) {
        synchronized (lock) {
            return mailbox(user).values().stream()
                    .filter(m -> m.labels().contains(label))
                    .map(StoredMessage::id)
                    .toList();
        }
    }

    private void trash(String user, String id, HttpServletResponse response) throws IOException {
        StoredMessage trashed;
        synchronized (lock) {
            StoredMessage message = mailbox(user).get(id);
            if (message == null) {
                trashed = null;
            } else {
                List<String> labels = new ArrayList<>(message.labels());
                labels.remove("INBOX");
                labels.remove("SPAM");
                if (!labels.contains("TRASH")) {
                    labels.add("TRASH");
                }
                trashed = new StoredMessage(id, message.raw(), List.copyOf(labels), message.internalDate());
                mailbox(user).put(id, trashed);
            }
        }
        if (trashed == null) {
            notFound(response);
            return;
        }
        send(response, 200, minimal(trashed));
    }

    private void insert(String user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode content;
        try {
            content = JSON.readTree(body(request));
        } catch (IOException e) {
            error(response, 400, "parseError", "global", "Parse Error", null);
            return;
        }
        if (content == null || !content.path("raw").isTextual()) {
            error(response, 400, "invalidArgument", "global", "'raw' RFC822 payload message string required", null);
            return;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(content.path("raw").asText().replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            error(response, 400, "invalidArgument", "global", "Invalid value for ByteString", null);
            return;
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode label : content.path("labelIds")) {
            String name = label.asText();
            if (!SYSTEM_LABELS.contains(name) && !USER_LABEL.matcher(name).matches()) {
                error(response, 400, "invalidArgument", "global", "Invalid label: " + name, null);
                return;
            }
            labels.add(name);
        }
        Instant date = clock.instant();
        if ("dateHeader".equals(request.getParameter("internalDateSource"))) {
            String header = headers(raw).get("date");
            if (header != null) {
                try {
                    date = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                } catch (RuntimeException unparsable) {
                    date = clock.instant();
                }
            }
        }
        String id = addMessage(user, raw, labels, date);
        ObjectNode body = JSON.createObjectNode().put("id", id).put("threadId", id);
        ArrayNode ids = body.putArray("labelIds");
        labels.forEach(ids::add);
        send(response, 200, body);
    }

    private static ObjectNode minimal(StoredMessage message) {
        ObjectNode body = JSON.createObjectNode().put("id", message.id()).put("threadId", message.id());
        ArrayNode labels = body.putArray("labelIds");
        message.labels().forEach(labels::add);
        body.put("snippet", "");
        body.put("sizeEstimate", message.raw().length);
        body.put("historyId", "1");
        body.put("internalDate", String.valueOf(message.internalDate()));
        return body;
    }

    /** The header block's fields in order, unfolded: name and value. */
    static List<String[]> headerList(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            end = text.indexOf("\n\n");
        }
        String head = (end < 0 ? text : text.substring(0, end)).replaceAll("\r?\n[ \t]+", " ");
        List<String[]> fields = new ArrayList<>();
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
        }
        return fields;
    }

    /** The first value of each header, by lower-case name. */
    static Map<String, String> headers(byte[] raw) {
        Map<String, String> map = new HashMap<>();
        for (String[] field : headerList(raw)) {
            map.putIfAbsent(field[0].toLowerCase(Locale.ROOT), field[1]);
        }
        return map;
    }

    private static boolean containsIgnoreCase(String[] names, String name) {
        for (String candidate : names) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] body(HttpServletRequest request) throws IOException {
        InputStream in = request.getInputStream();
        if ("gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        return in.readAllBytes();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        error(response, 404, "notFound", "global", "Requested entity was not found.", null);
    }

    private static void oauthError(HttpServletResponse response, String error, String description) throws IOException {
        send(response, 400, JSON.createObjectNode().put("error", error).put("error_description", description));
    }

    private static void error(
            HttpServletResponse response, int code, String reason, String domain, String message, String retryAfter)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.putArray("errors")
                .addObject()
                .put("message", message)
                .put("domain", domain)
                .put("reason", reason);
        error.put("status", status(code));
        if (retryAfter != null) {
            response.setHeader("Retry-After", retryAfter);
        }
        send(response, code, body);
    }

    private static String status(int code) {
        return switch (code) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
    }

    private static void send(HttpServletResponse response, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json; charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
