package org.sluice.connector.gmail.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.mailbox.MailboxConnector;

/**
 * One configured Gmail connector instance (factory configuration {@value #PID}): reads its settings, builds the
 * connector and registers it as a {@link MailboxConnector} service.
 *
 * <p>The service is registered by this component rather than by Declarative Services so that its properties can
 * change while it runs: {@value #HEALTH_PROPERTY} is {@code online}, or {@code paused} while the project's daily Gmail
 * quota is spent, with {@value #PAUSED_UNTIL_PROPERTY} giving the end of the pause (ISO-8601). Admins see them with
 * {@code service:list org.sluice.api.mailbox.MailboxConnector}, and the pause is logged as a WARN.
 *
 * <p>Secrets arrive decrypted: the boot bundle's configuration plugin turns {@code ENC(...)} values into plain text
 * before Config Admin delivers them. The key is never logged.
 */
@Component(
        configurationPid = GmailConnectorComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = GmailConnectorComponent.Config.class, factory = true)
public class GmailConnectorComponent {

    /** The factory PID of Gmail connector instances. */
    public static final String PID = "org.sluice.connector.gmail";

    /** Service property: the configured instance's name. */
    public static final String INSTANCE_PROPERTY = "sluice.mailbox.instance";

    /** Service property: {@code online} or {@code paused}. */
    public static final String HEALTH_PROPERTY = "sluice.mailbox.health";

    /** Service property present while paused: when the pause ends. */
    public static final String PAUSED_UNTIL_PROPERTY = "sluice.mailbox.paused.until";

    private final Logger logger = LoggerFactory.getLogger(GmailConnectorComponent.class);

    /** A Gmail connector instance. */
    @ObjectClassDefinition(
            name = "Sluice Gmail mailbox connector",
            description = "Reaches the mailboxes of one Google Workspace domain through the Gmail API with a service"
                    + " account that has domain-wide delegation for the scope https://mail.google.com/.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "The instance's name, used by routing settings. No default.")
        String name();

        @AttributeDefinition(
                name = "Service account key file",
                required = false,
                description = "Path of the service account's JSON key file. Either this or the key content is set.")
        String serviceAccountKeyFile() default "";

        @AttributeDefinition(
                name = "Service account key",
                type = AttributeType.PASSWORD,
                required = false,
                description = "The JSON key itself; store it as ENC(...) (sluice:encrypt). Either this or the key"
                        + " file is set.")
        String serviceAccountKey() default "";

        @AttributeDefinition(
                name = "Gmail API root URL",
                description = "https://gmail.googleapis.com/ for Google; no default, so that nothing is contacted"
                        + " before an admin says where.")
        String rootUrl();

        @AttributeDefinition(
                name = "Token URI",
                required = false,
                description = "The OAuth token endpoint; empty uses the key's token_uri"
                        + " (https://oauth2.googleapis.com/token for Google keys).")
        String tokenUri() default "";

        @AttributeDefinition(
                name = "Removal",
                description = "delete (default): permanent deletion, the user cannot see or recover the message."
                        + " trash: moved to the user's Trash, where the user can still see and restore it for 30"
                        + " days.",
                options = {
                    @Option(label = "Delete permanently", value = "delete"),
                    @Option(label = "Move to Trash", value = "trash")
                })
        String removeMode() default "delete";

        @AttributeDefinition(
                name = "Quota units per user per minute",
                description = "Client-side budget per mailbox; Gmail allows 15,000. Default 15000.")
        int unitsPerUserPerMinute() default 15_000;

        @AttributeDefinition(
                name = "Longest quota wait (seconds)",
                description = "A call waits this long at most for the per-user budget before it answers retryable."
                        + " Default 5.")
        int maxQuotaWaitSeconds() default 5;

        @AttributeDefinition(
                name = "Timeout (seconds)",
                description = "Connect and read timeout of each HTTP call. Default 30.")
        int timeoutSeconds() default 30;

        @AttributeDefinition(
                name = "Most hits examined per search",
                description = "Search hits re-checked per mailbox and search before giving up. Default 50.")
        int maxHitsChecked() default 50;

        @AttributeDefinition(
                name = "Include Sent Items",
                description = "Whether searches also act on copies that are only in a user's sent mail (labelled"
                        + " SENT, not INBOX), such as the sender's own copy. Default false.")
        boolean includeSentItems() default false;
    }

    private final ServiceRegistration<MailboxConnector> registration;
    private final Hashtable<String, Object> properties = new Hashtable<>();

    @Activate
    public GmailConnectorComponent(BundleContext context, Config config) {
        String name = required(config.name(), "name");
        try {
            GmailMailboxConnector.Settings settings = new GmailMailboxConnector.Settings(
                    name,
                    removeMode(config.removeMode()),
                    Duration.ofSeconds(Math.max(0, config.maxQuotaWaitSeconds())),
                    config.maxHitsChecked(),
                    config.includeSentItems());
            GmailClients clients = new GmailClients(
                    key(config),
                    tokenUri(config.tokenUri()),
                    url(required(config.rootUrl(), "rootUrl"), "rootUrl"),
                    Duration.ofSeconds(Math.max(1, config.timeoutSeconds())));
            QuotaLimiter limiter =
                    new QuotaLimiter(config.unitsPerUserPerMinute(), Duration.ofMinutes(1), Clock.systemUTC());
            GmailMailboxConnector connector =
                    new GmailMailboxConnector(settings, clients, limiter, Clock.systemUTC(), this::pauseChanged);
            properties.put(MailboxConnector.TYPE_PROPERTY, GmailMailboxConnector.TYPE);
            properties.put(INSTANCE_PROPERTY, name);
            properties.put(HEALTH_PROPERTY, "online");
            synchronized (properties) {
                registration = context.registerService(MailboxConnector.class, connector, properties);
            }
            logger.info(
                    "Gmail connector '{}' is ready (service account {}, removal by {})",
                    name,
                    clients.accountEmail(),
                    settings.removeMode().name().toLowerCase(Locale.ROOT));
        } catch (IOException | IllegalArgumentException e) {
            logger.warn("Gmail connector '{}' is not started: {}", name, e.getMessage());
            throw new IllegalArgumentException("Gmail connector '" + name + "': " + e.getMessage(), e);
        }
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            logger.debug("Gmail connector service was already unregistered");
        }
    }

    /** Publishes a pause (its end) or its end ({@code null}) as service properties. */
    private void pauseChanged(Instant until) {
        synchronized (properties) {
            if (until == null) {
                properties.put(HEALTH_PROPERTY, "online");
                properties.remove(PAUSED_UNTIL_PROPERTY);
            } else {
                properties.put(HEALTH_PROPERTY, "paused");
                properties.put(PAUSED_UNTIL_PROPERTY, until.toString());
            }
            if (registration != null) {
                try {
                    registration.setProperties(properties);
                } catch (IllegalStateException gone) {
                    logger.debug("Gmail connector service is unregistered; pause not published");
                }
            }
        }
    }

    private static String key(Config config) throws IOException {
        String content = config.serviceAccountKey() == null
                ? ""
                : config.serviceAccountKey().trim();
        String file = config.serviceAccountKeyFile() == null
                ? ""
                : config.serviceAccountKeyFile().trim();
        if (!content.isEmpty() && !file.isEmpty()) {
            throw new IllegalArgumentException("set serviceAccountKey or serviceAccountKeyFile, not both");
        }
        if (!content.isEmpty()) {
            return content;
        }
        if (file.isEmpty()) {
            throw new IllegalArgumentException("serviceAccountKeyFile or serviceAccountKey is required");
        }
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("serviceAccountKeyFile " + path + " is not a readable file");
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    static GmailMailboxConnector.RemoveMode removeMode(String value) {
        String mode = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "", "delete" -> GmailMailboxConnector.RemoveMode.DELETE;
            case "trash" -> GmailMailboxConnector.RemoveMode.TRASH;
            default -> throw new IllegalArgumentException("removeMode is 'delete' or 'trash', got '" + value + "'");
        };
    }

    private static URI tokenUri(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return URI.create(url(value.trim(), "tokenUri"));
    }

    private static String url(String value, String name) {
        try {
            URI uri = new URI(value.trim());
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an http(s) URL with a host, got '" + value + "'");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a URL: " + e.getMessage(), e);
        }
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value.trim();
    }
}
