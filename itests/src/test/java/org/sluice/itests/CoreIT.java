package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.inject.Inject;
import javax.sql.DataSource;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.Role;

/** The distribution boots, migrates its schema, links alerts race-free, keeps time in UTC and serves the API. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private IncidentService incidents;

    @Inject
    private ApiKeyService apiKeys;

    @Inject
    @Filter(value = "(osgi.jndi.service.name=sluice)", timeout = 120_000)
    private DataSource dataSource;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void healthAnswersWithoutCredentials() throws Exception {
        await(
                Duration.ofSeconds(30),
                () -> assertEquals(
                        200, http("GET", "/sluice/api/v1/health", null).status()));

        JsonNode body = JSON.readTree(http("GET", "/sluice/api/v1/health", null).body());

        assertEquals("up", body.get("status").asText());
    }

    @Test
    public void alertsWithOneLinkKeyJoinOneIncident() throws Exception {
        String key = "message:<linked-" + System.nanoTime() + "@example.org>";

        AlertReceipt first = incidents.submitAlert(alert(key, Severity.LOW), Actor.system("itest"));
        AlertReceipt second = incidents.submitAlert(alert(key, Severity.HIGH), Actor.system("itest"));

        assertTrue(first.incidentCreated());
        assertEquals(first.incidentId(), second.incidentId());
        assertEquals(
                Severity.HIGH, incidents.get(first.incidentId()).orElseThrow().severity());
        assertEquals(2, incidents.get(first.incidentId()).orElseThrow().alertCount());
    }

    @Test
    public void fiftySimultaneousAlertsWithOneLinkKeyEndInExactlyOneIncident() throws Exception {
        String key = "sender:race-" + System.nanoTime() + "@example.org";
        int count = 50;
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AlertReceipt>> results = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return incidents.submitAlert(alert(key, Severity.MEDIUM), Actor.system("itest"));
                }));
            }

            start.countDown();
            Set<Long> incidentIds = new HashSet<>();
            Set<Long> alertIds = new HashSet<>();
            int created = 0;
            for (Future<AlertReceipt> result : results) {
                AlertReceipt receipt = result.get();
                incidentIds.add(receipt.incidentId());
                alertIds.add(receipt.alertId());
                created += receipt.incidentCreated() ? 1 : 0;
            }

            assertEquals("incidents for one link key", 1, incidentIds.size());
            assertEquals("receipts that opened the incident", 1, created);
            assertEquals(count, alertIds.size());
            assertEquals(
                    count,
                    incidents.get(incidentIds.iterator().next()).orElseThrow().alertCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void timesAreStoredAndServedInUtcWhateverTheJvmZone() throws Exception {
        assertFalse(
                "this test needs a non-UTC JVM",
                ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds() == 0);
        Instant before = Instant.now().minusSeconds(1);
        long incidentId = incidents
                .submitAlert(alert(null, Severity.LOW), Actor.system("itest"))
                .incidentId();
        Instant after = Instant.now().plusSeconds(1);

        long storedMillis;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT created_at FROM incident WHERE id = ?")) {
            select.setLong(1, incidentId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                storedMillis = row.getLong(1);
            }
        }
        String key = apiKeys.create("time-test", Role.READ_ONLY, Actor.system("itest"))
                .secret();
        JsonNode served = JSON.readTree(
                http("GET", "/sluice/api/v1/incidents/" + incidentId, null, "Authorization", "Bearer " + key)
                        .body());

        Instant stored = Instant.ofEpochMilli(storedMillis);
        assertTrue("stored " + stored, !stored.isBefore(before) && !stored.isAfter(after));
        String createdAt = served.get("created_at").asText();
        assertTrue(createdAt, createdAt.endsWith("Z"));
        assertEquals(stored.getEpochSecond(), Instant.parse(createdAt).getEpochSecond());
    }

    @Test
    public void dateOnlyFilterMeansMidnightUtc() throws Exception {
        long incidentId = incidents
                .submitAlert(alert(null, Severity.LOW), Actor.system("itest"))
                .incidentId();
        // 20:00 UTC on 28 February is already 1 March in Asia/Kolkata (+05:30).
        Instant evening = Instant.parse("2021-02-28T20:00:00Z");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update =
                        connection.prepareStatement("UPDATE incident SET created_at = ? WHERE id = ?")) {
            update.setLong(1, evening.toEpochMilli());
            update.setLong(2, incidentId);
            assertEquals(1, update.executeUpdate());
        }
        String key = "Bearer "
                + apiKeys.create("date-test", Role.READ_ONLY, Actor.system("itest"))
                        .secret();

        JsonNode fromMarch = JSON.readTree(http(
                        "GET",
                        "/sluice/api/v1/incidents?created_after=2021-03-01&created_before=2021-03-02",
                        null,
                        "Authorization",
                        key)
                .body());
        JsonNode february28 = JSON.readTree(http(
                        "GET",
                        "/sluice/api/v1/incidents?created_after=2021-02-28&created_before=2021-03-01",
                        null,
                        "Authorization",
                        key)
                .body());

        assertEquals(0, fromMarch.get("total").asInt());
        assertEquals(1, february28.get("total").asInt());
        assertEquals(incidentId, february28.get("items").get(0).get("id").asLong());
        assertEquals(
                "2021-02-28T20:00:00Z",
                february28.get("items").get(0).get("created_at").asText());
    }

    @Test
    public void settingsChangeAllOrNothingAndBadValuesAreNamed() throws Exception {
        String admin = "Bearer "
                + apiKeys.create("settings-admin", Role.ADMIN, Actor.system("itest"))
                        .secret();
        String reader = "Bearer "
                + apiKeys.create("settings-reader", Role.READ_ONLY, Actor.system("itest"))
                        .secret();

        HttpResult good = http(
                "PUT",
                "/sluice/api/v1/settings",
                "{\"quarantine.max_attempts\": 4, \"domains.internal\": \"Example.org, corp.example.org\"}",
                "Authorization",
                admin);
        HttpResult bad = http(
                "PUT",
                "/sluice/api/v1/settings",
                "{\"quarantine.max_attempts\": 7, \"domains.internal\": [\"not a domain\"]}",
                "Authorization",
                admin);
        HttpResult forbidden =
                http("PUT", "/sluice/api/v1/settings", "{\"quarantine.max_attempts\": 9}", "Authorization", reader);
        JsonNode read = JSON.readTree(http("GET", "/sluice/api/v1/settings", null, "Authorization", reader)
                .body());

        assertEquals(200, good.status());
        assertEquals(400, bad.status());
        assertEquals(
                "domains.internal: 'not a domain' is not a domain name",
                JSON.readTree(bad.body()).get("message").asText());
        assertEquals(403, forbidden.status());
        Map<String, JsonNode> values = new java.util.HashMap<>();
        read.forEach(setting -> values.put(setting.get("key").asText(), setting.get("value")));
        assertEquals(4, values.get("quarantine.max_attempts").asInt());
        assertEquals(
                "[\"example.org\",\"corp.example.org\"]",
                values.get("domains.internal").toString());
        assertEquals(
                "Sluice Threat Response",
                values.get("notifications.subject_prefix").asText());
    }

    private static NewAlert alert(String linkKey, Severity severity) {
        return new NewAlert("itest", null, null, linkKey, severity, "test alert", null, null, Map.of("n", 1));
    }
}
