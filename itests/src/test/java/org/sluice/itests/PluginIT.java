package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.Actor;
import org.sluice.api.source.AlertSource;
import org.sluice.api.source.SourceHealth;

/** Plugins come and go while the core serves; faulty plugins are contained. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEATURE = "sluice-response-testing";

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private ResponseQueue queue;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void faultyAndHangingSourcesAreListedWithTheirFailureAndTheListingStillAnswers() throws Exception {
        ServiceRegistration<?> good = register(source("good-source", () -> SourceHealth.online(Instant.EPOCH)));
        ServiceRegistration<?> faulty = register(source("faulty-source", () -> {
            throw new IllegalStateException("poller crashed");
        }));
        ServiceRegistration<?> hanging = register(source("hanging-source", () -> {
            Thread.sleep(30_000);
            return SourceHealth.online(null);
        }));
        try {
            long started = System.nanoTime();
            JsonNode plugins = JSON.readTree(
                    http("GET", "/sluice/api/v1/plugins", null, "Authorization", basic("admin", adminPassword()))
                            .body());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertTrue(
                    "the listing waited for the hanging plugin: " + took, took.compareTo(Duration.ofSeconds(10)) < 0);
            assertEquals(
                    "online",
                    find(plugins, "good-source")
                            .orElseThrow()
                            .get("health")
                            .get("status")
                            .asText());
            JsonNode broken = find(plugins, "faulty-source").orElseThrow().get("health");
            assertEquals("unknown", broken.get("status").asText());
            assertTrue(
                    broken.get("detail").asText(), broken.get("detail").asText().contains("poller crashed"));
            JsonNode slow = find(plugins, "hanging-source").orElseThrow().get("health");
            assertTrue(slow.get("detail").asText(), slow.get("detail").asText().contains("timed out"));
        } finally {
            good.unregister();
            faulty.unregister();
            hanging.unregister();
        }

        JsonNode after = JSON.readTree(
                http("GET", "/sluice/api/v1/plugins", null, "Authorization", basic("admin", adminPassword()))
                        .body());
        assertFalse(find(after, "good-source").isPresent());
    }

    @Test
    public void uninstallingAPluginFeatureNeverRestartsTheCoreAndItsQueuedWorkWaitsForItsReturn() throws Exception {
        Bundle core = bundle("sluice-core");
        Bundle rest = bundle("sluice-rest");
        long coreId = core.getBundleId();
        long coreModified = core.getLastModified();
        String admin = basic("admin", adminPassword());

        features.installFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
        await(Duration.ofSeconds(60), () -> assertTrue(listed(admin, "testing")));
        features.uninstallFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
        await(Duration.ofSeconds(60), () -> assertFalse(listed(admin, "testing")));

        ResponseJob waiting = queue.enqueue("testing", null, "mailbox-1", Map.of(), 0, Actor.system("itest"));
        assertEquals(
                200,
                http("GET", "/sluice/api/v1/incidents", null, "Authorization", admin)
                        .status());
        Thread.sleep(3_000);
        assertEquals(JobState.QUEUED, queue.get(waiting.id()).orElseThrow().state());
        assertEquals(0, queue.get(waiting.id()).orElseThrow().attempts());

        features.installFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
        await(
                Duration.ofSeconds(60),
                () -> assertEquals(
                        JobState.SUCCEEDED,
                        queue.get(waiting.id()).orElseThrow().state()));

        assertEquals(coreId, bundle("sluice-core").getBundleId());
        assertEquals(coreModified, bundle("sluice-core").getLastModified());
        assertEquals(Bundle.ACTIVE, bundle("sluice-core").getState());
        assertEquals(rest.getBundleId(), bundle("sluice-rest").getBundleId());
        assertEquals(
                200,
                http("GET", "/sluice/api/v1/incidents", null, "Authorization", admin)
                        .status());
        features.uninstallFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
    }

    private boolean listed(String admin, String type) throws Exception {
        JsonNode plugins = JSON.readTree(http("GET", "/sluice/api/v1/plugins", null, "Authorization", admin)
                .body());
        for (JsonNode plugin : plugins) {
            if (plugin.get("kind").asText().equals("response-type")
                    && plugin.get("type").asText().equals(type)) {
                return true;
            }
        }
        return false;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private ServiceRegistration<?> register(AlertSource source) {
        return context.registerService(AlertSource.class, source, new Hashtable<>());
    }

    private static Optional<JsonNode> find(JsonNode plugins, String type) {
        for (JsonNode plugin : plugins) {
            if (plugin.get("type").asText().equals(type)) {
                return Optional.of(plugin);
            }
        }
        return Optional.empty();
    }

    /** A health check that may throw. */
    @FunctionalInterface
    private interface Health {
        SourceHealth get() throws Exception;
    }

    private static AlertSource source(String type, Health health) {
        return new AlertSource() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public String displayName() {
                return type;
            }

            @Override
            public SourceHealth health() {
                try {
                    return health.get();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
