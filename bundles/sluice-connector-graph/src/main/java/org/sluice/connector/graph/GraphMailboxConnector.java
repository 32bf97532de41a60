package org.sluice.connector.graph;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.MailFolder;
import com.microsoft.graph.models.MailFolderCollectionResponse;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.MessageCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.move.MovePostRequestBody;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.mail.MessageIds;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.mailbox.MailboxFolders;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.RetryAfter;

/**
 * Mailbox connector for Exchange Online through Microsoft Graph, one instance per factory configuration {@value #PID}
 * (several tenants or app registrations at once). It speaks with app-only client credentials and asks for immutable
 * ids ({@code Prefer: IdType="ImmutableId"}), so a copy keeps its id when it is moved.
 *
 * <p>Requests go through the Microsoft Graph Java SDK's request adapter, pointed at the configured service root, with
 * the SDK's retry handler removed: throttling is not waited out inside a worker thread but reported as {@link
 * ResponseOutcome.Status#RETRYABLE} with the server's Retry-After, and the queue schedules the next attempt. Until that
 * wait has passed no request is sent to the mailbox at all. At most {@code maxInFlightPerMailbox} (Exchange allows 4)
 * requests are in flight per mailbox, and {@code maxInFlight} for the instance.
 *
 * <p>Searches escape attacker-chosen values as OData literals and re-check every hit exactly: the normalised
 * Message-ID must be equal, or the sender (case-insensitively), the subject (exactly) and the time window must match.
 * Copies in the mailbox's Sent Items are skipped unless configured.
 *
 * <p>{@link #removeAll} removes many copies through {@code $batch} (20 requests per batch, at most the per-mailbox
 * limit from one mailbox) and re-sends only the items that were throttled.
 *
 * <p>Thread-safe; calls block the calling thread for at most about twice the configured timeout.
 */
@Component(
        service = MailboxConnector.class,
        configurationPid = GraphMailboxConnector.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = MailboxConnector.TYPE_PROPERTY + "=" + GraphMailboxConnector.TYPE)
@Designate(ocd = GraphMailboxConnector.Config.class, factory = true)
public class GraphMailboxConnector implements MailboxConnector, MailboxFolders {

    /** The factory PID of Graph connector instances. */
    public static final String PID = "org.sluice.connector.graph";

    /** The connector type name. */
    public static final String TYPE = "graph";

    /** The largest number of requests in one {@code $batch}, Graph's limit. */
    public static final int BATCH_LIMIT = 20;

    private static final String PREFER = "Prefer";
    private static final String IMMUTABLE_IDS = "IdType=\"ImmutableId\"";
    private static final String[] COPY_FIELDS = {
        "id", "internetMessageId", "parentFolderId", "subject", "from", "sender", "receivedDateTime", "isRead"
    };
    private static final int PAGE_SIZE = 50;
    private static final int MAX_PAGES = 40;

    private final Logger logger = LoggerFactory.getLogger(GraphMailboxConnector.class);

    /** A Graph connector instance. */
    @ObjectClassDefinition(
            name = "Sluice Microsoft Graph mailbox connector",
            description = "Reaches Exchange Online mailboxes through Microsoft Graph with an app registration's client"
                    + " credentials (application permission Mail.ReadWrite).")
    public @interface Config {
        @AttributeDefinition(
                name = "Instance id",
                description = "The name routing settings use for this instance, such as 'contoso'. No default.")
        String instanceId();

        @AttributeDefinition(name = "Tenant id", description = "The Entra ID tenant (directory) id. No default.")
        String tenantId();

        @AttributeDefinition(name = "Client id", description = "The app registration's application id. No default.")
        String clientId();

        @AttributeDefinition(
                name = "Client secret",
                type = AttributeType.PASSWORD,
                description = "The app's client secret, written as ENC(...) (sluice:encrypt). Kept out of the service"
                        + " properties. No default.")
        String _clientSecret();

        @AttributeDefinition(
                name = "Graph service root",
                description = "The Graph endpoint with its version, https://graph.microsoft.com/v1.0 for the global"
                        + " Exchange Online service. No default.")
        String graphBaseUrl();

        @AttributeDefinition(
                name = "Token endpoint",
                description = "The tenant's OAuth 2.0 token endpoint,"
                        + " https://login.microsoftonline.com/<tenant id>/oauth2/v2.0/token for the global service."
                        + " No default.")
        String tokenEndpoint();

        @AttributeDefinition(
                name = "Scope",
                description =
                        "The scope of the client credentials grant. Default https://graph.microsoft.com/.default.")
        String scope() default "https://graph.microsoft.com/.default";

        @AttributeDefinition(
                name = "Removal mode",
                description = "HARD_DELETE (default): permanent delete, not in the user's Recoverable Items."
                        + " DELETED_ITEMS: move to Deleted Items, where the user still sees and can restore it."
                        + " HIDDEN_FOLDER: move to a hidden folder, which Outlook and OWA do not show but other"
                        + " clients can list.")
        RemovalMode removalMode() default RemovalMode.HARD_DELETE;

        @AttributeDefinition(
                name = "Hidden folder name",
                description = "The hidden folder for HIDDEN_FOLDER mode. Default 'Sluice Quarantine'.")
        String hiddenFolderName() default "Sluice Quarantine";

        @AttributeDefinition(
                name = "Include Sent Items",
                description = "Whether copies in a mailbox's Sent Items are found (and so removed). Default false.")
        boolean includeSentItems() default false;

        @AttributeDefinition(
                name = "Requests in flight per mailbox",
                description = "1 to 4; Exchange Online throttles a fifth. Default 4.")
        int maxInFlightPerMailbox() default 4;

        @AttributeDefinition(
                name = "Requests in flight",
                description = "The most requests this instance has in flight at once. Default 16.")
        int maxInFlight() default 16;

        @AttributeDefinition(
                name = "Requests per second",
                description = "The instance's pace across all mailboxes, 0 for no pace. Default 0.")
        double maxRequestsPerSecond() default 0;

        @AttributeDefinition(
                name = "Timeout (seconds)",
                description = "The longest wait for a free request slot and for one HTTP exchange. Default 60.")
        int timeoutSeconds() default 60;

        @AttributeDefinition(
                name = "Batch rounds",
                description = "How often a bulk removal re-sends throttled items before leaving them to the queue."
                        + " Default 5.")
        int batchRounds() default 5;
    }

    private final GraphSettings settings;
    private final ClientCredentialsTokens tokens;
    private final OkHttpClient http;
    private final GraphServiceClient client;
    private final RequestLimiter limiter;
    private final Map<String, String> sentItemsIds = new ConcurrentHashMap<>();
    private final Map<String, String> hiddenFolderIds = new ConcurrentHashMap<>();

    @Activate
    public GraphMailboxConnector(Config config) {
        this(settingsOf(config));
    }

    /** An instance from settings; the constructor makes no request. */
    public GraphMailboxConnector(GraphSettings settings) {
        this.settings = settings;
        this.tokens = new ClientCredentialsTokens(
                settings.tokenEndpoint(),
                settings.clientId(),
                settings.clientSecret(),
                settings.scope(),
                settings.graphBase(),
                settings.timeout());
        // The SDK's default middleware minus its retry handler: waits are the queue's business, not a worker's sleep.
        List<Interceptor> interceptors = new ArrayList<>();
        for (Interceptor interceptor :
                GraphClientFactory.createDefaultGraphInterceptors(GraphServiceClient.getGraphClientOptions())) {
            if (!interceptor.getClass().getSimpleName().equals("RetryHandler")) {
                interceptors.add(interceptor);
            }
        }
        this.http = GraphClientFactory.create(interceptors)
                .callTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                .build();
        this.client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens), http);
        client.getRequestAdapter().setBaseUrl(stripSlash(settings.graphBase().toString()));
        this.limiter = new RequestLimiter(
                settings.maxInFlightPerMailbox(), settings.maxInFlight(), settings.maxRequestsPerSecond());
        logger.info(
                "Graph connector instance '{}' ready: tenant '{}', client '{}', removal {}",
                settings.instanceId(),
                settings.tenantId(),
                settings.clientId(),
                settings.removalMode());
    }

    static GraphSettings settingsOf(Config config) {
        return new GraphSettings(
                config.instanceId(),
                config.tenantId(),
                config.clientId(),
                config._clientSecret(),
                uri(config.graphBaseUrl(), "graphBaseUrl"),
                uri(config.tokenEndpoint(), "tokenEndpoint"),
                config.scope(),
                config.removalMode(),
                config.hiddenFolderName(),
                config.includeSentItems(),
                config.maxInFlightPerMailbox(),
                config.maxInFlight(),
                config.maxRequestsPerSecond(),
                Duration.ofSeconds(Math.max(1, config.timeoutSeconds())),
                config.batchRounds());
    }

    private static URI uri(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        URI uri = URI.create(value.trim());
        if (uri.getHost() == null
                || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
            throw new IllegalArgumentException(name + " must be an http(s) URL with a host, not '" + value + "'");
        }
        return uri;
    }

    /** Stops the HTTP client's threads and connections; called by DS, or by the owner of a {@code new} instance. */
    @Deactivate
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        logger.info("Graph connector instance '{}' stopped", settings.instanceId());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String instanceId() {
        return settings.instanceId();
    }

    @Override
    public List<MailboxCopy> findCopies(String mailbox, CopyQuery query) throws Exception {
        Objects.requireNonNull(mailbox, "mailbox");
        String filter = filterFor(query);
        List<MailboxCopy> found = new ArrayList<>();
        try {
            MessageCollectionResponse page = call(
                    mailbox,
                    () -> client.users().byUserId(mailbox).messages().get(rc -> {
                        rc.queryParameters.filter = filter;
                        rc.queryParameters.select = COPY_FIELDS;
                        rc.queryParameters.top = PAGE_SIZE;
                        rc.headers.add(PREFER, IMMUTABLE_IDS);
                    }));
            int pages = 1;
            while (page != null) {
                for (Message message : page.getValue() == null ? List.<Message>of() : page.getValue()) {
                    if (found.size() >= query.maxCopies()) {
                        break;
                    }
                    if (matches(message, query) && (settings.includeSentItems() || !inSentItems(mailbox, message))) {
                        found.add(new MailboxCopy(
                                mailbox,
                                message.getParentFolderId(),
                                message.getId(),
                                message.getInternetMessageId(),
                                message.getIsRead()));
                    }
                }
                String next = page.getOdataNextLink();
                if (next == null || found.size() >= query.maxCopies() || pages >= MAX_PAGES) {
                    break;
                }
                pages++;
                page = call(
                        mailbox,
                        () -> client.users()
                                .byUserId(mailbox)
                                .messages()
                                .withUrl(next)
                                .get(rc -> rc.headers.add(PREFER, IMMUTABLE_IDS)));
            }
        } catch (GraphCallException e) {
            if (e.httpStatus() == 404) {
                throw new MailboxException(
                        ResponseOutcome.permanentFailure(
                                e.outcome().providerStatus(),
                                "mailbox '" + mailbox + "': " + e.outcome().detail()),
                        e);
            }
            throw new MailboxException(e.outcome(), e);
        }
        logger.debug("Found {} copies in mailbox '{}' on instance '{}'", found.size(), mailbox, instanceId());
        return found;
    }

    /** The {@code $filter} for a query, every attacker-chosen value an escaped literal. */
    static String filterFor(CopyQuery query) {
        if (query.maxCopies() < 1) {
            throw new IllegalArgumentException("maxCopies must be at least 1");
        }
        if (query.internetMessageId() != null) {
            return "internetMessageId eq " + ODataFilter.literal("<" + query.internetMessageId() + ">");
        }
        if (query.sender() == null
                || query.subject() == null
                || query.receivedFrom() == null
                || query.receivedTo() == null) {
            throw new IllegalArgumentException(
                    "a copy query needs a Message-ID, or a sender, a subject and a time window");
        }
        return "receivedDateTime ge " + ODataFilter.instant(query.receivedFrom()) + " and receivedDateTime le "
                + ODataFilter.instant(query.receivedTo().plusSeconds(1)) + " and from/emailAddress/address eq "
                + ODataFilter.literal(query.sender()) + " and subject eq " + ODataFilter.literal(query.subject());
    }

    /** Whether a hit really is a copy the query asked for; the provider's matching is never trusted alone. */
    static boolean matches(Message message, CopyQuery query) {
        if (message.getId() == null) {
            return false;
        }
        if (query.internetMessageId() != null) {
            Optional<String> id = MessageIds.normalize(message.getInternetMessageId());
            return id.isPresent() && id.get().equals(query.internetMessageId());
        }
        String sender = message.getFrom() != null && message.getFrom().getEmailAddress() != null
                ? message.getFrom().getEmailAddress().getAddress()
                : null;
        OffsetDateTime received = message.getReceivedDateTime();
        if (sender == null || received == null || message.getSubject() == null) {
            return false;
        }
        Instant at = received.toInstant();
        return sender.equalsIgnoreCase(query.sender())
                && message.getSubject().equals(query.subject())
                && !at.isBefore(query.receivedFrom().truncatedTo(ChronoUnit.SECONDS))
                && !at.isAfter(query.receivedTo());
    }

    private boolean inSentItems(String mailbox, Message message) {
        String sent = sentItemsIds.computeIfAbsent(
                key(mailbox),
                k -> call(
                                mailbox,
                                () -> client.users()
                                        .byUserId(mailbox)
                                        .mailFolders()
                                        .byMailFolderId("sentitems")
                                        .get(rc -> {
                                            rc.queryParameters.select = new String[] {"id"};
                                            rc.headers.add(PREFER, IMMUTABLE_IDS);
                                        }))
                        .getId());
        return sent.equals(message.getParentFolderId());
    }

    @Override
    public InputStream openRaw(MailboxCopy copy) throws Exception {
        try {
            byte[] raw = call(copy.mailbox(), () -> {
                try (InputStream in = client.users()
                        .byUserId(copy.mailbox())
                        .messages()
                        .byMessageId(copy.providerId())
                        .content()
                        .get(rc -> rc.headers.add(PREFER, IMMUTABLE_IDS))) {
                    if (in == null) {
                        throw new GraphCallException(
                                ResponseOutcome.retryable("200", "Graph sent no MIME content", null), 200);
                    }
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new GraphCallException(
                            ResponseOutcome.retryable(null, "reading MIME content failed: " + e, null), 0);
                }
            });
            return new ByteArrayInputStream(raw);
        } catch (GraphCallException e) {
            if (e.httpStatus() == 404) {
                throw new MailboxException(
                        new ResponseOutcome(
                                ResponseOutcome.Status.NOT_FOUND,
                                e.outcome().providerStatus(),
                                "copy '" + copy.providerId() + "' is no longer in mailbox '" + copy.mailbox() + "'",
                                null),
                        e);
            }
            throw new MailboxException(e.outcome(), e);
        }
    }

    @Override
    public ResponseOutcome remove(MailboxCopy copy) {
        try {
            switch (settings.removalMode()) {
                case HARD_DELETE -> {
                    call(copy.mailbox(), () -> {
                        client.users()
                                .byUserId(copy.mailbox())
                                .messages()
                                .byMessageId(copy.providerId())
                                .permanentDelete()
                                .post(rc -> rc.headers.add(PREFER, IMMUTABLE_IDS));
                        return null;
                    });
                    return ResponseOutcome.done("permanently deleted from mailbox '" + copy.mailbox() + "'");
                }
                case DELETED_ITEMS -> {
                    return move(copy, "deleteditems", "Deleted Items");
                }
                case HIDDEN_FOLDER -> {
                    return move(copy, hiddenFolder(copy.mailbox()), "the hidden folder");
                }
                default -> throw new IllegalStateException("unknown removal mode " + settings.removalMode());
            }
        } catch (GraphCallException e) {
            if (e.httpStatus() == 404) {
                return ResponseOutcome.alreadyDone(
                        "copy '" + copy.providerId() + "' is no longer in mailbox '" + copy.mailbox() + "'");
            }
            return e.outcome();
        }
    }

    private ResponseOutcome move(MailboxCopy copy, String destination, String where) {
        if (destination.equals(copy.folder())) {
            return ResponseOutcome.alreadyDone("already in " + where);
        }
        MovePostRequestBody body = new MovePostRequestBody();
        body.setDestinationId(destination);
        Message moved = call(
                copy.mailbox(),
                () -> client.users()
                        .byUserId(copy.mailbox())
                        .messages()
                        .byMessageId(copy.providerId())
                        .move()
                        .post(body, rc -> rc.headers.add(PREFER, IMMUTABLE_IDS)));
        return ResponseOutcome.done("moved to " + where + " of mailbox '" + copy.mailbox() + "' as "
                + (moved == null ? copy.providerId() : moved.getId()));
    }

    /** Graph's well-known folder names, usable wherever a folder id is. */
    private static final Set<String> WELL_KNOWN_FOLDERS = Set.of(
            "inbox",
            "archive",
            "deleteditems",
            "drafts",
            "junkemail",
            "outbox",
            "sentitems",
            "recoverableitemsdeletions");

    /** The fields a folder listing reads. */
    private static final String[] LIST_FIELDS = {"id", "internetMessageId", "parentFolderId"};

    /**
     * {@inheritDoc}
     *
     * <p>{@code folder} is a well-known name ({@code inbox}, case-insensitive) or the display name of a top-level
     * folder. Copies are named by their immutable ids, which survive moves.
     */
    @Override
    public List<MailboxCopy> list(String mailbox, String folder, int max) throws Exception {
        Objects.requireNonNull(mailbox, "mailbox");
        try {
            String id = folderId(mailbox, folder, false)
                    .orElseThrow(() -> new MailboxException(
                            ResponseOutcome.notFound("no folder '" + folder + "' in mailbox '" + mailbox + "'")));
            if (max < 1) {
                return List.of();
            }
            MessageCollectionResponse page = call(
                    mailbox,
                    () -> client.users()
                            .byUserId(mailbox)
                            .mailFolders()
                            .byMailFolderId(id)
                            .messages()
                            .get(rc -> {
                                rc.queryParameters.select = LIST_FIELDS;
                                rc.queryParameters.orderby = new String[] {"receivedDateTime asc"};
                                rc.queryParameters.top = Math.min(max, 1000);
                                rc.headers.add(PREFER, IMMUTABLE_IDS);
                            }));
            List<MailboxCopy> out = new ArrayList<>();
            for (Message message : page == null || page.getValue() == null ? List.<Message>of() : page.getValue()) {
                if (message.getId() != null && out.size() < max) {
                    out.add(new MailboxCopy(
                            mailbox,
                            message.getParentFolderId() == null ? id : message.getParentFolderId(),
                            message.getId(),
                            message.getInternetMessageId()));
                }
            }
            return out;
        } catch (GraphCallException e) {
            if (e.httpStatus() == 404) {
                throw new MailboxException(
                        ResponseOutcome.notFound("mailbox '" + mailbox + "' or folder '" + folder + "' not found"), e);
            }
            throw new MailboxException(e.outcome(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code targetFolder} is a well-known name or the display name of a top-level folder, created when missing.
     */
    @Override
    public ResponseOutcome move(MailboxCopy copy, String targetFolder) {
        try {
            String id = folderId(copy.mailbox(), targetFolder, true).orElseThrow();
            return move(copy, id, "folder '" + targetFolder + "'");
        } catch (GraphCallException e) {
            if (e.httpStatus() == 404) {
                return ResponseOutcome.notFound(
                        "copy '" + copy.providerId() + "' is no longer in mailbox '" + copy.mailbox() + "'");
            }
            return e.outcome();
        }
    }

    /** The id of a folder named by a well-known name or a top-level display name; created when asked and missing. */
    private Optional<String> folderId(String mailbox, String name, boolean create) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (WELL_KNOWN_FOLDERS.contains(lower)) {
            return Optional.of(lower);
        }
        MailFolderCollectionResponse existing = call(
                mailbox,
                () -> client.users().byUserId(mailbox).mailFolders().get(rc -> {
                    rc.queryParameters.filter = "displayName eq " + ODataFilter.literal(name);
                    rc.headers.add(PREFER, IMMUTABLE_IDS);
                }));
        if (existing != null && existing.getValue() != null) {
            for (MailFolder folder : existing.getValue()) {
                if (name.equals(folder.getDisplayName())) {
                    return Optional.of(folder.getId());
                }
            }
        }
        if (!create) {
            return Optional.empty();
        }
        MailFolder folder = new MailFolder();
        folder.setDisplayName(name);
        MailFolder created = call(
                mailbox,
                () -> client.users()
                        .byUserId(mailbox)
                        .mailFolders()
                        .post(folder, rc -> rc.headers.add(PREFER, IMMUTABLE_IDS)));
        logger.info("Created folder '{}' in mailbox '{}' on instance '{}'", name, mailbox, instanceId());
        return Optional.of(created.getId());
    }

    private String hiddenFolder(String mailbox) {
        return hiddenFolderIds.computeIfAbsent(key(mailbox), k -> {
            MailFolderCollectionResponse existing = call(
                    mailbox,
                    () -> client.users().byUserId(mailbox).mailFolders().get(rc -> {
                        rc.queryParameters.filter =
                                "displayName eq " + ODataFilter.literal(settings.hiddenFolderName());
                        rc.queryParameters.includeHiddenFolders = "true";
                        rc.headers.add(PREFER, IMMUTABLE_IDS);
                    }));
            if (existing != null && existing.getValue() != null) {
                for (MailFolder folder : existing.getValue()) {
                    if (settings.hiddenFolderName().equals(folder.getDisplayName())) {
                        return folder.getId();
                    }
                }
            }
            MailFolder folder = new MailFolder();
            folder.setDisplayName(settings.hiddenFolderName());
            folder.setIsHidden(true);
            MailFolder created = call(
                    mailbox,
                    () -> client.users()
                            .byUserId(mailbox)
                            .mailFolders()
                            .post(folder, rc -> rc.headers.add(PREFER, IMMUTABLE_IDS)));
            logger.info("Created the hidden folder in mailbox '{}' on instance '{}'", mailbox, instanceId());
            return created.getId();
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The message is created from its MIME bytes in {@code folder} (a folder id; the Inbox when that folder no
     * longer exists). Nothing is looked up first: a mailbox may hold several copies of one message in one folder, so a
     * copy with the same Message-ID says nothing about whether this one is back. The core decides that from the copies
     * it recorded (see the quarantine runner). On success the detail is exactly the new message's immutable id.
     */
    @Override
    public ResponseOutcome reinsert(String mailbox, String folder, InputStream raw) throws IOException {
        byte[] bytes = raw.readAllBytes();
        try {
            Message created;
            try {
                created = call(mailbox, () -> createFromMime(mailbox, folder, bytes));
            } catch (GraphCallException e) {
                if (e.httpStatus() != 404 || folder.equals("inbox")) {
                    throw e;
                }
                logger.info("Folder '{}' of mailbox '{}' no longer exists; restoring into the Inbox", folder, mailbox);
                created = call(mailbox, () -> createFromMime(mailbox, "inbox", bytes));
            }
            return new ResponseOutcome(ResponseOutcome.Status.DONE, "201", created.getId(), null);
        } catch (GraphCallException e) {
            return e.outcome();
        }
    }

    private Message createFromMime(String mailbox, String folder, byte[] bytes) {
        RequestInformation template = client.users()
                .byUserId(mailbox)
                .mailFolders()
                .byMailFolderId(folder)
                .messages()
                .toPostRequestInformation(new Message());
        // Graph takes MIME as base64 text with Content-Type text/plain; the SDK has no typed request for it.
        RequestInformation request =
                new RequestInformation(HttpMethod.POST, template.urlTemplate, template.pathParameters);
        request.headers.add("Accept", "application/json");
        request.headers.add(PREFER, IMMUTABLE_IDS);
        request.setStreamContent(new ByteArrayInputStream(Base64.getEncoder().encode(bytes)), "text/plain");
        return client.getRequestAdapter().send(request, errorMapping(), Message::createFromDiscriminatorValue);
    }

    /**
     * Removes many copies (of any mailboxes) with {@code $batch} requests of up to {@value #BATCH_LIMIT} items, at most
     * the per-mailbox in-flight limit of them from one mailbox. Items answered 429, 503 or 504 are re-sent, alone,
     * after their Retry-After, for up to the configured number of rounds; what is still throttled then is reported
     * as retryable with the wait. Only {@link RemovalMode#HARD_DELETE} is batched; other modes remove one by one.
     *
     * @return an outcome per copy, in the order given
     */
    /** Permanent deletes go through {@code $batch}; moves are made one by one. */
    @Override
    public boolean removesInBulk() {
        return settings.removalMode() == RemovalMode.HARD_DELETE;
    }

    @Override
    public Map<MailboxCopy, ResponseOutcome> removeAll(List<MailboxCopy> copies) throws InterruptedException {
        Map<MailboxCopy, ResponseOutcome> outcomes = new LinkedHashMap<>();
        if (settings.removalMode() != RemovalMode.HARD_DELETE) {
            for (MailboxCopy copy : copies) {
                outcomes.put(copy, remove(copy));
            }
            return outcomes;
        }
        List<MailboxCopy> pending = new ArrayList<>(copies);
        for (int round = 1; round <= settings.batchRounds() && !pending.isEmpty(); round++) {
            List<MailboxCopy> throttled = new ArrayList<>();
            List<MailboxCopy> ready = new ArrayList<>();
            Duration soonest = null;
            for (MailboxCopy copy : pending) {
                Duration blocked = limiter.blockedFor(copy.mailbox());
                if (blocked.isZero()) {
                    ready.add(copy);
                } else {
                    throttled.add(copy);
                    soonest = soonest == null || blocked.compareTo(soonest) < 0 ? blocked : soonest;
                }
            }
            for (List<MailboxCopy> batch : batches(ready)) {
                throttled.addAll(sendBatch(batch, outcomes));
            }
            pending = throttled;
            if (!pending.isEmpty() && round < settings.batchRounds()) {
                Duration wait = pending.stream()
                        .map(c -> limiter.blockedFor(c.mailbox()))
                        .min(Duration::compareTo)
                        .orElse(Duration.ZERO);
                if (wait.compareTo(settings.timeout()) > 0) {
                    break;
                }
                Thread.sleep(wait.toMillis() + 1);
            }
        }
        for (MailboxCopy copy : pending) {
            if (!outcomes.containsKey(copy) || outcomes.get(copy).status() == ResponseOutcome.Status.RETRYABLE) {
                Duration wait = limiter.blockedFor(copy.mailbox());
                ResponseOutcome last = outcomes.get(copy);
                outcomes.put(
                        copy,
                        ResponseOutcome.retryable(
                                last == null ? "throttled" : last.providerStatus(),
                                last == null ? "mailbox '" + copy.mailbox() + "' is throttled" : last.detail(),
                                wait.isZero() ? null : wait));
            }
        }
        Map<MailboxCopy, ResponseOutcome> ordered = new LinkedHashMap<>();
        copies.forEach(c -> ordered.put(c, outcomes.get(c)));
        return ordered;
    }

    /** Groups copies into batches of at most 20, with at most the per-mailbox limit from one mailbox each. */
    private List<List<MailboxCopy>> batches(List<MailboxCopy> copies) {
        List<List<MailboxCopy>> batches = new ArrayList<>();
        List<Map<String, Integer>> counts = new ArrayList<>();
        for (MailboxCopy copy : copies) {
            String mailbox = key(copy.mailbox());
            int index = -1;
            for (int i = 0; i < batches.size(); i++) {
                if (batches.get(i).size() < BATCH_LIMIT
                        && counts.get(i).getOrDefault(mailbox, 0) < limiter.perMailbox()) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                batches.add(new ArrayList<>());
                counts.add(new HashMap<>());
                index = batches.size() - 1;
            }
            batches.get(index).add(copy);
            counts.get(index).merge(mailbox, 1, Integer::sum);
        }
        return batches;
    }

    /** Sends one batch, records final outcomes, and returns the items to send again. */
    private List<MailboxCopy> sendBatch(List<MailboxCopy> batch, Map<MailboxCopy, ResponseOutcome> outcomes)
            throws InterruptedException {
        Map<String, Integer> permits = new HashMap<>();
        batch.forEach(c -> permits.merge(c.mailbox(), 1, Integer::sum));
        List<MailboxCopy> again = new ArrayList<>();
        try (RequestLimiter.Permit permit = limiter.acquire(permits, settings.timeout(), batch.size())) {
            if (permit == null) {
                batch.forEach(c -> outcomes.put(
                        c, ResponseOutcome.retryable(null, "no free request slot within the timeout", null)));
                return again;
            }
            BatchRequestContent content = new BatchRequestContent(client);
            Map<String, MailboxCopy> steps = new LinkedHashMap<>();
            for (MailboxCopy copy : batch) {
                RequestInformation request = client.users()
                        .byUserId(copy.mailbox())
                        .messages()
                        .byMessageId(copy.providerId())
                        .permanentDelete()
                        .toPostRequestInformation(rc -> rc.headers.add(PREFER, IMMUTABLE_IDS));
                // The SDK's batch writer needs a content type on every POST; Graph ignores an empty JSON object here.
                request.setStreamContent(
                        new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), "application/json");
                steps.put(content.addBatchRequestStep(request), copy);
            }
            BatchResponseContent responses;
            try {
                responses = client.getBatchRequestBuilder().post(content, errorMapping());
            } catch (IOException | RuntimeException e) {
                GraphCallException failure = translate(e);
                if (failure.outcome().retryAfter() != null) {
                    batch.forEach(
                            c -> limiter.block(c.mailbox(), failure.outcome().retryAfter()));
                }
                batch.forEach(c -> outcomes.put(c, failure.outcome()));
                if (failure.outcome().status() == ResponseOutcome.Status.RETRYABLE) {
                    again.addAll(batch);
                }
                return again;
            }
            Map<String, Integer> statuses = responses.getResponsesStatusCode();
            for (Map.Entry<String, MailboxCopy> step : steps.entrySet()) {
                MailboxCopy copy = step.getValue();
                Integer status = statuses.get(step.getKey());
                if (status == null) {
                    outcomes.put(copy, ResponseOutcome.retryable(null, "no answer for this item in the batch", null));
                    again.add(copy);
                    continue;
                }
                if (status >= 200 && status < 300) {
                    outcomes.put(
                            copy, ResponseOutcome.done("permanently deleted from mailbox '" + copy.mailbox() + "'"));
                    continue;
                }
                if (status == 404) {
                    outcomes.put(
                            copy,
                            ResponseOutcome.alreadyDone("copy '" + copy.providerId() + "' is no longer in mailbox '"
                                    + copy.mailbox() + "'"));
                    continue;
                }
                Response item = responses.getResponseById(step.getKey());
                String retryAfter = item == null ? null : item.header("Retry-After");
                String[] error = errorOf(item);
                ResponseOutcome outcome = outcome(status, error[0], error[1], retryAfter);
                if (outcome.retryAfter() != null) {
                    limiter.block(copy.mailbox(), outcome.retryAfter());
                }
                outcomes.put(copy, outcome);
                if (outcome.status() == ResponseOutcome.Status.RETRYABLE) {
                    again.add(copy);
                }
            }
        }
        return again;
    }

    private static String[] errorOf(Response item) {
        if (item == null || item.body() == null) {
            return new String[] {"", ""};
        }
        try {
            com.google.gson.JsonElement root = com.google.gson.JsonParser.parseString(
                    new String(item.body().bytes(), StandardCharsets.UTF_8));
            com.google.gson.JsonObject error = root.getAsJsonObject().getAsJsonObject("error");
            return new String[] {
                error.has("code") ? error.get("code").getAsString() : "",
                error.has("message") ? error.get("message").getAsString() : ""
            };
        } catch (IOException | RuntimeException e) {
            return new String[] {"", ""};
        }
    }

    /**
     * Runs one Graph call for {@code mailbox} within the limits: refused without a request while the mailbox is under a
     * Retry-After, and failures translated into outcomes.
     */
    private <T> T call(String mailbox, Supplier<T> request) {
        Duration blocked = limiter.blockedFor(mailbox);
        if (!blocked.isZero()) {
            throw new GraphCallException(
                    ResponseOutcome.retryable(
                            "429", "mailbox '" + mailbox + "' is throttled; not calling before the wait ends", blocked),
                    429);
        }
        RequestLimiter.Permit permit;
        try {
            permit = limiter.acquire(mailbox, settings.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphCallException(ResponseOutcome.retryable(null, "interrupted", null), 0);
        }
        if (permit == null) {
            throw new GraphCallException(
                    ResponseOutcome.retryable(null, "no free request slot for '" + mailbox + "' in time", null), 0);
        }
        try (permit) {
            return request.get();
        } catch (RuntimeException e) {
            GraphCallException failure = translate(e);
            if (failure.outcome().retryAfter() != null) {
                limiter.block(mailbox, failure.outcome().retryAfter());
            }
            if (failure.httpStatus() == 401) {
                tokens.invalidate();
            }
            throw failure;
        }
    }

    private GraphCallException translate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GraphCallException g) {
                return g;
            }
            if (t instanceof ApiException api) {
                String code = "";
                String message = api.getMessage() == null ? "" : api.getMessage();
                if (api instanceof ODataError odata && odata.getError() != null) {
                    code = odata.getError().getCode() == null
                            ? ""
                            : odata.getError().getCode();
                    message = odata.getError().getMessage() == null
                            ? ""
                            : odata.getError().getMessage();
                }
                String retryAfter = header(api, "Retry-After");
                int status = api.getResponseStatusCode();
                return new GraphCallException(outcome(status, code, message, retryAfter), status);
            }
        }
        logger.debug("Graph call on instance '{}' failed", instanceId(), e);
        return new GraphCallException(ResponseOutcome.retryable(null, "Graph call failed: " + e, null), 0);
    }

    private static String header(ApiException api, String name) {
        if (api.getResponseHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, Set<String>> entry : api.getResponseHeaders().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().iterator().next();
            }
        }
        return null;
    }

    /** The outcome of a failed Graph answer. */
    static ResponseOutcome outcome(int status, String code, String message, String retryAfter) {
        String provider = (status + " " + (code == null ? "" : code)).trim();
        String detail = ClientCredentialsTokens.shorten(message == null || message.isBlank() ? provider : message);
        if (status == 429 || status == 503 || status == 504) {
            Duration wait = RetryAfter.header(retryAfter, Instant.now());
            return ResponseOutcome.retryable(provider, detail, wait);
        }
        if (status >= 500 || status == 408) {
            return ResponseOutcome.retryable(provider, detail, null);
        }
        return ResponseOutcome.permanentFailure(provider, detail);
    }

    private static HashMap<String, ParsableFactory<? extends Parsable>> errorMapping() {
        HashMap<String, ParsableFactory<? extends Parsable>> mapping = new HashMap<>();
        mapping.put("XXX", ODataError::createFromDiscriminatorValue);
        return mapping;
    }

    private static String key(String mailbox) {
        return mailbox.toLowerCase(Locale.ROOT);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "GraphMailboxConnector[" + settings.instanceId() + "]";
    }
}
