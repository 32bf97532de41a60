package org.sluice.source.json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.source.AlertSource;
import org.sluice.api.source.SourceHealth;

/**
 * One configured JSON event source: a factory configuration {@value #PID} with a name and a secret source id. Events
 * posted to {@code /threat/json_event/events/<source id>} become alerts of source type {@value #TYPE} with the
 * source's name as their instance. The source id arrives decrypted (Config Admin decrypts {@code ENC(...)} values);
 * only its SHA-256 is kept, and it is compared in constant time.
 *
 * <p>A source id shorter than {@value #MIN_ID_LENGTH} characters is refused: the source reports {@code
 * OFFLINE_CONFIGURATION} and accepts nothing, because a short id is guessable and it is the only credential.
 */
@Component(
        service = {AlertSource.class, JsonEventSource.class},
        configurationPid = JsonEventSource.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = AlertSource.TYPE_PROPERTY + "=" + JsonEventSource.TYPE)
@Designate(ocd = JsonEventSource.Config.class, factory = true)
public class JsonEventSource implements AlertSource {

    /** The factory PID of JSON event sources. */
    public static final String PID = "org.sluice.source.json";

    /** The source and receiver type name. */
    public static final String TYPE = "json";

    /** The shortest source id accepted. */
    public static final int MIN_ID_LENGTH = 16;

    private final Logger logger = LoggerFactory.getLogger(JsonEventSource.class);

    /** A JSON event source. */
    @ObjectClassDefinition(
            name = "Sluice JSON event source",
            description = "An endpoint that SOAR tools and scripts post JSON alerts to:"
                    + " POST /threat/json_event/events/<source id>. Create one with sluice:source-add-json.")
    public @interface Config {
        @AttributeDefinition(
                name = "Name",
                description = "A name for people, shown in lists and recorded with every alert. No default.")
        String name();

        @AttributeDefinition(
                name = "Source id",
                type = AttributeType.PASSWORD,
                description = "The secret in the POST URL, at least 16 characters; store it as ENC(...)"
                        + " (sluice:source-add-json does). No default.")
        String sourceId();
    }

    private final String name;
    private final byte[] idDigest;
    private final Clock clock;
    private final AtomicLong received = new AtomicLong();
    private volatile Instant lastEvent;

    @Activate
    public JsonEventSource(Config config) {
        this(config, Clock.systemUTC());
    }

    JsonEventSource(Config config, Clock clock) {
        this.name = config.name() == null || config.name().isBlank()
                ? "unnamed"
                : config.name().trim();
        String id = config.sourceId();
        this.idDigest = id == null || id.length() < MIN_ID_LENGTH ? null : digest(id);
        this.clock = clock;
        if (idDigest == null) {
            logger.warn(
                    "JSON event source '{}' has no source id of at least {} characters; it accepts no events",
                    name,
                    MIN_ID_LENGTH);
        } else {
            logger.info("JSON event source '{}' is ready", name);
        }
    }

    /** Whether this source has the id whose SHA-256 is {@code candidate}; constant time. */
    boolean matches(byte[] candidate) {
        return idDigest != null && MessageDigest.isEqual(idDigest, candidate);
    }

    /** Records that an event was stored. */
    void received() {
        received.incrementAndGet();
        lastEvent = clock.instant();
    }

    /** The SHA-256 of a source id. */
    static byte[] digest(String sourceId) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(sourceId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "JSON events '" + name + "'";
    }

    @Override
    public String instance() {
        return name;
    }

    @Override
    public SourceHealth health() {
        if (idDigest == null) {
            return new SourceHealth(
                    SourceHealth.Status.OFFLINE_CONFIGURATION,
                    "no source id of at least " + MIN_ID_LENGTH + " characters is configured",
                    null);
        }
        Instant last = lastEvent;
        String detail = last == null ? "no event received yet" : received.get() + " events received since start";
        return new SourceHealth(SourceHealth.Status.ONLINE, detail, last);
    }
}
