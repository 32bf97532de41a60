package org.sluice.connector.graph;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One connector instance's validated settings.
 *
 * @param instanceId the instance name routing settings refer to
 * @param tenantId the Entra ID tenant
 * @param clientId the app registration's client id
 * @param clientSecret the app's client secret (decrypted)
 * @param graphBase the Graph service root, such as {@code https://graph.microsoft.com/v1.0}
 * @param tokenEndpoint the tenant's OAuth 2.0 v2.0 token endpoint
 * @param scope the scope asked for in the client credentials grant
 * @param removalMode how {@code remove} takes a copy away
 * @param hiddenFolderName the hidden folder's display name for {@link RemovalMode#HIDDEN_FOLDER}
 * @param includeSentItems whether copies in a mailbox's Sent Items are found too
 * @param maxInFlightPerMailbox requests in flight per mailbox, 1 to 4
 * @param maxInFlight requests in flight for the whole instance
 * @param maxRequestsPerSecond the instance's pace, 0 for none
 * @param timeout the longest wait for a permit and for one HTTP exchange
 * @param batchRounds how often {@code removeAll} re-sends throttled items before reporting them as retryable
 */
public record GraphSettings(
        String instanceId,
        String tenantId,
        String clientId,
        String clientSecret,
        URI graphBase,
        URI tokenEndpoint,
        String scope,
        RemovalMode removalMode,
        String hiddenFolderName,
        boolean includeSentItems,
        int maxInFlightPerMailbox,
        int maxInFlight,
        double maxRequestsPerSecond,
        Duration timeout,
        int batchRounds) {

    /** Exchange Online answers a fifth concurrent request to one mailbox with 429. */
    public static final int EXCHANGE_MAILBOX_CONCURRENCY = 4;

    public GraphSettings {
        require(instanceId, "instanceId");
        require(tenantId, "tenantId");
        require(clientId, "clientId");
        require(clientSecret, "clientSecret");
        Objects.requireNonNull(graphBase, "graphBaseUrl is required");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint is required");
        require(scope, "scope");
        Objects.requireNonNull(removalMode, "removalMode");
        if (removalMode == RemovalMode.HIDDEN_FOLDER) {
            require(hiddenFolderName, "hiddenFolderName");
        }
        if (maxInFlightPerMailbox < 1 || maxInFlightPerMailbox > EXCHANGE_MAILBOX_CONCURRENCY) {
            throw new IllegalArgumentException(
                    "maxInFlightPerMailbox must be 1 to 4 (Exchange's limit), not " + maxInFlightPerMailbox);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
        }
        if (maxRequestsPerSecond < 0) {
            throw new IllegalArgumentException("maxRequestsPerSecond must not be negative");
        }
        if (batchRounds < 1) {
            throw new IllegalArgumentException("batchRounds must be at least 1");
        }
        String path = graphBase.getPath() == null ? "" : graphBase.getPath();
        if (!path.matches("/(v1\\.0|beta)/?")) {
            throw new IllegalArgumentException(
                    "graphBaseUrl must end in /v1.0 or /beta (the SDK's batch paths rely on it), not " + graphBase);
        }
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
