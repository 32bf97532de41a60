package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;
import org.sluice.api.security.Actor;

/** The distribution boots, migrates its schema, links alerts and serves the API. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private IncidentService incidents;

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

    private static NewAlert alert(String linkKey, Severity severity) {
        return new NewAlert("itest", null, null, linkKey, severity, "test alert", null, null, Map.of("n", 1));
    }
}
