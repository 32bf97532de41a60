package org.sluice.connector.graph;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.RetryAfter;

/**
 * App-only access tokens for Graph from the Microsoft identity platform's OAuth 2.0 client credentials grant (a POST of
 * {@code grant_type=client_credentials}, client id, secret and scope to the tenant's v2.0 token endpoint). Tokens are
 * cached until five minutes before they expire.
 *
 * <p>Written for the SDK's request adapter in place of azure-identity, which would bring MSAL, Netty and Reactor into
 * the bundle and accepts only an {@code https} authority (so no loopback fake could stand in for it). A token is only
 * ever handed to the configured Graph host, and only over {@code https} unless that host is a loopback address.
 *
 * <p>Thread-safe; one token request at a time. Never logs the secret or a token.
 */
final class ClientCredentialsTokens implements AccessTokenProvider {

    private static final Duration EARLY_REFRESH = Duration.ofMinutes(5);

    private final Logger logger = LoggerFactory.getLogger(ClientCredentialsTokens.class);

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final HttpClient http;
    private final Clock clock;
    private final AllowedHostsValidator hosts;

    /** Guards {@link #token} and {@link #expires}. */
    private final Object lock = new Object();

    private String token;
    private Instant expires = Instant.EPOCH;

    ClientCredentialsTokens(
            URI tokenEndpoint, String clientId, String clientSecret, String scope, URI graphBase, Duration timeout) {
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.clock = Clock.systemUTC();
        this.hosts = new AllowedHostsValidator(graphBase.getHost());
    }

    @Override
    public String getAuthorizationToken(URI uri, Map<String, Object> additionalAuthenticationContext) {
        if (!hosts.isUrlHostValid(uri)) {
            return "";
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !loopback(uri.getHost())) {
            throw new GraphCallException(
                    ResponseOutcome.permanentFailure(
                            "config", "refusing to send a Graph token over plain http to " + uri.getHost()),
                    0);
        }
        synchronized (lock) {
            if (token == null || clock.instant().isAfter(expires.minus(EARLY_REFRESH))) {
                fetch();
            }
            return token;
        }
    }

    @Override
    public AllowedHostsValidator getAllowedHostsValidator() {
        return hosts;
    }

    /** Forgets the cached token, after Graph said it is no longer valid. */
    void invalidate() {
        synchronized (lock) {
            token = null;
        }
    }

    private void fetch() {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret) + "&scope=" + encode(scope);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GraphCallException(
                    ResponseOutcome.retryable(
                            null, "token endpoint " + tokenEndpoint.getHost() + " unreachable: " + e, null),
                    0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphCallException(ResponseOutcome.retryable(null, "interrupted while getting a token", null), 0);
        }
        JsonObject body = parse(response.body());
        int status = response.statusCode();
        if (status == 200 && body != null && body.has("access_token")) {
            token = body.get("access_token").getAsString();
            long seconds = body.has("expires_in") ? body.get("expires_in").getAsLong() : 3600;
            expires = clock.instant().plusSeconds(seconds);
            logger.debug("Got a Graph token for client '{}', valid for {} s", clientId, seconds);
            return;
        }
        String code = body != null && body.has("error") ? text(body.get("error")) : "";
        String description = body != null && body.has("error_description") ? text(body.get("error_description")) : "";
        String provider = (status + " " + code).trim();
        String detail = "token endpoint refused client '" + clientId + "': " + shorten(description);
        if (status == 429 || status >= 500) {
            Duration wait = RetryAfter.header(
                    response.headers().firstValue("Retry-After").orElse(null), clock.instant());
            throw new GraphCallException(ResponseOutcome.retryable(provider, detail, wait), status);
        }
        throw new GraphCallException(ResponseOutcome.permanentFailure(provider, detail), status);
    }

    private static JsonObject parse(String text) {
        try {
            JsonElement element = JsonParser.parseString(text);
            return element.isJsonObject() ? element.getAsJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonElement element) {
        return element == null || element.isJsonNull() ? "" : element.getAsString();
    }

    static String shorten(String text) {
        String oneLine = text.replaceAll("[\\r\\n]+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static boolean loopback(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
    }
}
