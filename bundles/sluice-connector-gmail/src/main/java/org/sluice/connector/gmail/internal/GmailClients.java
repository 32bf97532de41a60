package org.sluice.connector.gmail.internal;

import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.gmail.Gmail;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gmail API clients acting as each user of a Google Workspace domain, through one service account with domain-wide
 * delegation: the account signs a JWT naming the user ({@code sub}) and trades it at the token endpoint for that user's
 * access token.
 *
 * <p>Only the explicitly configured service account is used; the library's application-default lookup (environment,
 * metadata server) is never consulted. Clients are cached per user, at most {@value #MAX_CACHED} of them.
 */
final class GmailClients {

    /** Full mail access: the only scope that allows permanent deletion ({@code users.messages.delete}). */
    static final String SCOPE = "https://mail.google.com/";

    private static final int MAX_CACHED = 1000;

    private final ServiceAccountCredentials account;
    private final String rootUrl;
    private final Duration timeout;
    private final HttpTransport transport = new NetHttpTransport();
    private final Map<String, Gmail> byUser = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Gmail> eldest) {
            return size() > MAX_CACHED;
        }
    };

    /**
     * @param keyJson the service account's key file (JSON with {@code client_email}, {@code private_key}, {@code
     *     token_uri})
     * @param tokenUri the token endpoint to use instead of the key's {@code token_uri}, or {@code null}
     * @param rootUrl the Gmail API root URL ({@code https://gmail.googleapis.com/} in production)
     * @param timeout connect and read timeout of each HTTP call
     */
    GmailClients(String keyJson, URI tokenUri, String rootUrl, Duration timeout) throws IOException {
        ServiceAccountCredentials loaded = ServiceAccountCredentials.fromStream(
                new ByteArrayInputStream(keyJson.getBytes(StandardCharsets.UTF_8)), () -> transport);
        ServiceAccountCredentials.Builder builder = loaded.toBuilder().setScopes(List.of(SCOPE));
        if (tokenUri != null) {
            builder.setTokenServerUri(tokenUri);
        }
        this.account = builder.build();
        this.rootUrl = rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
        this.timeout = timeout;
    }

    /** The service account's e-mail address (not a secret; shown in logs). */
    String accountEmail() {
        return account.getClientEmail();
    }

    /** The client acting as {@code user}. */
    Gmail forUser(String user) {
        String key = user.toLowerCase(Locale.ROOT);
        synchronized (byUser) {
            return byUser.computeIfAbsent(key, this::build);
        }
    }

    private Gmail build(String user) {
        GoogleCredentials delegated = account.createDelegated(user);
        HttpCredentialsAdapter credentials = new HttpCredentialsAdapter(delegated);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        HttpRequestInitializer initializer = request -> {
            credentials.initialize(request);
            request.setConnectTimeout(millis);
            request.setReadTimeout(millis);
            // One repeat only, for the adapter's refresh of an expired token on 401; throttling is the queue's job.
            request.setNumberOfRetries(1);
        };
        return new Gmail.Builder(transport, GsonFactory.getDefaultInstance(), initializer)
                .setRootUrl(rootUrl)
                .setApplicationName("Sluice")
                .build();
    }
}
