package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
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
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;
import org.sluice.api.list.ListService;
import org.sluice.api.security.AccountService;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.Role;

/**
 * The compatible API as SOAR integrations use it: a known sequence of alerts, comments, description changes,
 * assignment and closes, then the full JSON of detail and list responses compared with expected values in the
 * shapes of the reference's recorded responses.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CompatApiIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Actor ITEST = Actor.system("itest");

    @Inject
    private IncidentService incidents;

    @Inject
    private ApiKeyService apiKeys;

    @Inject
    private AccountService accounts;

    @Inject
    private ListService lists;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void knownSequenceGivesTheReferenceShapesWithExpectedValues() throws Exception {
        String key = apiKeys.create("xsoar", Role.ANALYST, ITEST).secret();
        if (accounts.find("kiki").isEmpty()) {
            accounts.create("kiki", "kiki-password-long".toCharArray(), Role.ANALYST, ITEST);
        }
        String linkKey = "message_id:<m1-" + System.nanoTime() + "@evil.test>";
        AlertReceipt first = incidents.submitAlert(alert(linkKey, Severity.HIGH, "198.51.100.7"), ITEST);
        AlertReceipt second = incidents.submitAlert(alert(linkKey, Severity.CRITICAL, "198.51.100.8"), ITEST);
        long id = first.incidentId();
        assertEquals(id, second.incidentId());
        String path = "/api/incidents/" + id;

        HttpResult comment =
                post(path + "/comments.json", "{\"summary\":\"comment text\",\"detail\":\"detail text\"}", key);
        HttpResult overwrite = post(path + "/description.json", "{\"description\":\"first\",\"overwrite\":true}", key);
        HttpResult append = post(path + "/description.json", "{\"description\":\"second\",\"overwrite\":false}", key);
        HttpResult assign = post(path + "/team_and_assignee.json", "{\"assignee\":\"kiki\",\"team\":\"tata\"}", key);
        HttpResult sameAgain = post(path + "/team_and_assignee.json", "{\"assignee\":\"kiki\",\"team\":\"tata\"}", key);
        HttpResult noTeam = post(path + "/team_and_assignee.json", "{\"assignee\":\"kiki\"}", key);
        HttpResult nobody = post(path + "/team_and_assignee.json", "{\"assignee\":\"nobody\",\"team\":\"tata\"}", key);
        HttpResult users = post(path + "/users.json", "{\"targets\":[\"jsmith\"],\"attackers\":[\"badguy\"]}", key);
        HttpResult fields = post(
                path + "/incident_fields.json?allow_data_override=true",
                "{\"fields\":{\"Classification\":\"Phishing\",\"Abuse Disposition\":\"Malicious\"}}",
                key);
        HttpResult close =
                post(path + "/close.json", "{\"summary\":\"closing summary\",\"detail\":\"closing detail\"}", key);

        assertEquals(201, comment.status());
        JsonNode history = JSON.readTree(comment.body());
        assertEquals("comment text", history.get("summary").asText());
        assertEquals("detail text", history.get("detail").asText());
        assertEquals(id, history.get("incident_id").asLong());
        assertEquals("xsoar", history.get("user_id").asText());
        assertEquals(200, overwrite.status());
        assertEquals(200, append.status());
        assertEquals(200, assign.status());
        assertEquals(404, sameAgain.status());
        assertEquals("the previous team and assignee are same, not updating the incident", message(sameAgain));
        assertEquals(400, noTeam.status());
        assertEquals("Both team and assignee are required. Team: null, assignee: kiki", message(noTeam));
        assertEquals(404, nobody.status());
        assertEquals("no assignee found for nobody", message(nobody));
        assertEquals(200, users.status());
        assertEquals(200, fields.status());
        assertEquals(200, close.status());

        // Control characters (PostgreSQL refuses NUL in text) and over-long comments are refused, naming the field.
        HttpResult nul = post(path + "/comments.json", "{\"summary\":\"a\\u0000b\"}", key);
        assertEquals(nul.body(), 400, nul.status());
        assertTrue(nul.body(), message(nul).contains("summary"));
        HttpResult huge = post(path + "/comments.json", "{\"summary\":\"" + "x".repeat(65_537) + "\"}", key);
        assertEquals(huge.body(), 400, huge.status());
        HttpResult ownNul = post("/sluice/api/v1/incidents/" + id + "/comments", "{\"comment\":\"a\\u0007b\"}", key);
        assertEquals(ownNul.body(), 400, ownNul.status());
        assertTrue(ownNul.body(), message(ownNul).contains("comment"));
        assertTrue(incidents.comments(id).stream()
                .noneMatch(c -> c.text().indexOf(0) >= 0
                        || c.text().indexOf(7) >= 0
                        || c.text().length() > 65_536));

        Incident stored = incidents.get(id).orElseThrow();
        long commentAt = incidents.comments(id).get(0).createdAt().getEpochSecond();
        String expected = """
                {"id": %d, "type": "Phishing", "summary": "phish from attacker", "description": "first\\nsecond",
                 "score": 5200, "state": "Closed", "created_at": "%s", "updated_at": "%s", "closed_at": "%s",
                 "close_summary": "closing summary", "close_detail": "closing detail", "event_count": 2,
                 "false_positive_count": 0, "event_sources": ["Abuse Mailbox 1"], "users": ["jsmith"],
                 "assignee": "kiki", "team": "tata",
                 "hosts": {"attacker": ["198.51.100.7", "198.51.100.8"], "cnc": ["cnc.evil.test"], "forensics": [],
                           "url": []},
                 "incident_field_values": [
                   {"name": "Classification", "value": "Phishing"}, {"name": "Attack Vector", "value": null},
                   {"name": "Severity", "value": "Critical"}, {"name": "Abuse Disposition", "value": "Malicious"}],
                 "event_ids": null,
                 "comments": [{"user": "xsoar", "comment": "comment text", "commented_on": "%s"}],
                 "quarantine_results": [], "successful_quarantines": 0, "failed_quarantines": 0,
                 "pending_quarantines": 0, "notifications": []}
                """.formatted(
                        id,
                        time(stored.createdAt()),
                        time(stored.updatedAt()),
                        time(stored.closedAt()),
                        time(Instant.ofEpochSecond(commentAt)));
        ObjectNode detail = (ObjectNode) JSON.readTree(get(path + ".json", key).body());
        JsonNode events = detail.remove("events");
        assertEquals(JSON.readTree(expected), detail);
        assertEquals(2, events.size());
        JsonNode event = events.get(0);
        assertEquals(first.alertId(), event.get("id").asLong());
        assertEquals("phish", event.get("category").asText());
        assertEquals("Major", event.get("severity").asText());
        assertEquals("Abuse Mailbox 1", event.get("source").asText());
        assertEquals(
                "198.51.100.7", event.get("attackers").get(0).get("location").asText());
        JsonNode email = event.get("emails").get(0);
        assertEquals("bad@evil.test", email.get("sender").get("email").asText());
        assertEquals("alice@example.org", email.get("recipient").get("email").asText());
        assertEquals(
                Instant.parse("2026-01-05T10:00:00Z").toEpochMilli(),
                email.get("messageDeliveryTime").get("millis").asLong());

        JsonNode compact =
                JSON.readTree(get(path + ".json?expand_events=false", key).body());
        assertTrue(compact.get("events").isNull());
        assertTrue(compact.get("false_positive_count").isNull());
        assertEquals(JSON.readTree("[" + first.alertId() + "," + second.alertId() + "]"), compact.get("event_ids"));

        String today = Instant.now().truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10);
        // Some clients send a GET with the body "null" and Content-Type JSON; it must be served normally.
        HttpResponse<String> listResponse = HttpClient.newBuilder()
                .sslContext(pinnedContext())
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/incidents?state=closed&created_after="
                                        + today + "&expand_events=false&unknown_param=1"))
                                .method("GET", HttpRequest.BodyPublishers.ofString("null"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", basic("ignored", key))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listResponse.statusCode());
        JsonNode closedList = JSON.readTree(listResponse.body());
        assertTrue(closedList.isArray());
        JsonNode listed = find(closedList, id);
        assertEquals("Closed", listed.get("state").asText());
        assertEquals("closing detail", listed.get("close_detail").asText());
        assertTrue(listed.get("events").isNull());
    }

    @Test
    public void bulkCloseAndListMembersAndErrorsInTheReferenceShape() throws Exception {
        String key = apiKeys.create("fortisoar", Role.ANALYST, ITEST).secret();
        String reader = apiKeys.create("reader", Role.READ_ONLY, ITEST).secret();
        long a = incidents
                .submitAlert(alert(null, Severity.LOW, "203.0.113.1"), ITEST)
                .incidentId();
        long b = incidents
                .submitAlert(alert(null, Severity.LOW, "203.0.113.2"), ITEST)
                .incidentId();
        long list =
                lists.create("blacklist_ip-" + System.nanoTime(), "ip", ITEST).id();

        HttpResult bulk = post(
                "/api/incidents/close.json",
                "{\"incidentIds\":[" + a + "," + b + "],\"summary\":\"s\",\"detail\":\"d\"}",
                key);
        HttpResult added = post(
                "/api/lists/" + list + "/members.json",
                "{\"member\":\"1.2.3.4\",\"description\":\"optional comment\",\"expiration\":\"2020-02-02T19:00:00Z\"}",
                key);
        JsonNode member = JSON.readTree(added.body());
        JsonNode members =
                JSON.readTree(get("/api/lists/" + list + "/members.json", key).body());
        HttpResult removed = http(
                "DELETE",
                "/api/lists/" + list + "/members/" + member.get("id").asLong() + ".json",
                null,
                "Authorization",
                key);
        HttpResult forbidden = post("/api/incidents/" + a + "/comments.json", "{\"summary\":\"x\"}", reader);
        HttpResult wrongKey = http("GET", "/api/incidents", null, "Authorization", key + "x");
        HttpResult missing = get("/api/incidents/999999999.json", key);
        HttpResult badDate = get("/api/incidents?created_after=yesterday", key);
        HttpResult tooLong = get("/api/incidents?created_after=2020-01-01&created_before=2020-03-01", key);
        HttpResult doubled = get("//api/incidents/" + a + ".json", key);

        assertEquals(200, bulk.status());
        assertEquals(
                "Closed",
                JSON.readTree(get("/api/incidents/" + a + ".json", key).body())
                        .get("state")
                        .asText());
        assertEquals(
                "Closed",
                JSON.readTree(get("/api/incidents/" + b, key).body())
                        .get("state")
                        .asText());
        assertEquals(201, added.status());
        assertEquals("1.2.3.4", member.get("host").get("host").asText());
        assertEquals("2020-02-02T19:00:00Z", member.get("expiration").asText());
        assertEquals(1, members.size());
        assertEquals(200, removed.status());
        assertEquals(
                0,
                JSON.readTree(get("/api/lists/" + list + "/members.json", key).body())
                        .size());
        assertEquals(403, forbidden.status());
        assertEquals(401, wrongKey.status());
        assertEquals(404, missing.status());
        assertEquals(400, badDate.status());
        assertTrue(message(badDate), message(badDate).startsWith("created_after: 'yesterday' is not"));
        assertEquals(400, tooLong.status());
        assertEquals(200, doubled.status());
        JsonNode byMessageId =
                JSON.readTree(get("/api/incidents?message_id=%3C203.0.113.2@EVIL.test%3E,other@x.org", key)
                        .body());
        assertEquals(1, byMessageId.size());
        assertEquals(b, byMessageId.get(0).get("id").asLong());
        assertEquals(400, get("/api/incidents?message_id=no-at-sign", key).status());
        assertEquals(a, JSON.readTree(doubled.body()).get("id").asLong());
        for (HttpResult error : new HttpResult[] {forbidden, wrongKey, missing, badDate, tooLong}) {
            assertTrue(error.body(), JSON.readTree(error.body()).get("message").isTextual());
            assertTrue(error.contentType(), error.contentType().startsWith("application/json"));
        }
    }

    @Test
    public void malformedIncidentPathsAre404AndBodiesOfAnyTypeAreReadAsJson() throws Exception {
        String key = apiKeys.create("soar-odd", Role.ANALYST, ITEST).secret();
        long id = incidents
                .submitAlert(alert(null, Severity.LOW, "203.0.113.77"), ITEST)
                .incidentId();
        for (String path : List.of("abc.json", "-1.json", id + ".xml", id + ".json.json")) {
            HttpResult odd = get("/api/incidents/" + path, key);
            assertEquals(path + ": " + odd.body(), 404, odd.status());
            assertTrue(odd.body(), JSON.readTree(odd.body()).isObject());
        }
        HttpResult plain = http(
                "POST",
                "/api/incidents/" + id + "/comments.json",
                "{\"summary\":\"from a client sending text/plain\",\"detail\":\"d\"}",
                "Authorization",
                key,
                "Content-Type",
                "text/plain");
        assertEquals(plain.body(), 201, plain.status());
        HttpResult garbage = http(
                "POST",
                "/api/incidents/" + id + "/comments.json",
                "summary=x",
                "Authorization",
                key,
                "Content-Type",
                "application/x-www-form-urlencoded");
        assertEquals(garbage.body(), 400, garbage.status());

        HttpResult ownBadId = get("/sluice/api/v1/incidents/abc", key);
        assertEquals(ownBadId.body(), 400, ownBadId.status());
        assertTrue(ownBadId.body(), ownBadId.body().contains("whole number"));
    }

    @Test
    public void requestBodiesOfRealClientsAreAcceptedAndHaveTheirEffect() throws Exception {
        Path examples = Path.of(
                System.getProperty("sluice.itest.corpus", "../../shared/corpus"), "ptr-api", "requests_examples.json");
        if (!Files.exists(examples)) {
            System.err.println("SKIPPED LOUDLY: " + examples + " is missing");
        }
        assumeTrue("the shared corpus is needed", Files.exists(examples));
        JsonNode bodies = JSON.readTree(Files.readString(examples));
        String key = apiKeys.create("replay", Role.ANALYST, ITEST).secret();
        if (accounts.find("kiki").isEmpty()) {
            accounts.create("kiki", "kiki-password-long".toCharArray(), Role.ANALYST, ITEST);
        }
        long id = incidents
                .submitAlert(alert(null, Severity.MEDIUM, "192.0.2.99"), ITEST)
                .incidentId();
        long other1 = incidents
                .submitAlert(alert(null, Severity.LOW, "192.0.2.98"), ITEST)
                .incidentId();
        long other2 = incidents
                .submitAlert(alert(null, Severity.LOW, "192.0.2.97"), ITEST)
                .incidentId();
        long list = lists.create("replay-" + System.nanoTime(), "ip", ITEST).id();

        int replayed = 0;
        for (Iterator<String> names = bodies.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.startsWith("POST /api/")) {
                continue;
            }
            String target = name.substring("POST ".length())
                    .split(" ")[0]
                    .replace("{id}", String.valueOf(id))
                    .replace("{list_id}", String.valueOf(list));
            String body = bodies.get(name).toString();
            if (target.equals("/api/incidents/close.json")) {
                body = body.replace("[101,102]", "[" + other1 + "," + other2 + "]");
            }
            if (target.endsWith("/close.json") && !target.equals("/api/incidents/close.json")) {
                continue;
            }

            HttpResult result = post(target, body, key);

            assertTrue(
                    name + " answered " + result.status() + ": " + result.body(),
                    result.status() == 200 || result.status() == 201);
            replayed++;
        }
        HttpResult close = post(
                "/api/incidents/" + id + "/close.json",
                bodies.get("POST /api/incidents/{id}/close.json").toString(),
                key);

        assertEquals(200, close.status());
        assertTrue("replayed " + replayed, replayed >= 7);
        JsonNode incident =
                JSON.readTree(get("/api/incidents/" + id + ".json", key).body());
        assertEquals("Closed", incident.get("state").asText());
        assertEquals("closing summary", incident.get("close_summary").asText());
        assertEquals("kiki", incident.get("assignee").asText());
        assertEquals("tata", incident.get("team").asText());
        assertEquals("[\"jsmith\"]", incident.get("users").toString());
        assertEquals(
                "comment text", incident.get("comments").get(0).get("comment").asText());
        assertTrue(incident.get("description").asText().endsWith("text"));
        assertEquals("High", field(incident, "Severity"));
        assertEquals(
                1,
                JSON.readTree(get("/api/lists/" + list + "/members.json", key).body())
                        .size());
        assertEquals(
                "Closed",
                JSON.readTree(get("/api/incidents/" + other1 + ".json", key).body())
                        .get("state")
                        .asText());
    }

    private static String field(JsonNode incident, String name) {
        for (JsonNode field : incident.get("incident_field_values")) {
            if (field.get("name").asText().equals(name)) {
                return field.get("value").asText();
            }
        }
        throw new AssertionError("no field " + name);
    }

    private static JsonNode find(JsonNode list, long id) {
        for (JsonNode incident : list) {
            if (incident.get("id").asLong() == id) {
                return incident;
            }
        }
        throw new AssertionError("incident " + id + " is not in " + list);
    }

    private static String message(HttpResult result) throws Exception {
        return JSON.readTree(result.body()).get("message").asText();
    }

    private static HttpResult post(String path, String body, String key) throws Exception {
        return http("POST", path, body, "Authorization", key);
    }

    private static HttpResult get(String path, String key) throws Exception {
        return http("GET", path, null, "Authorization", key);
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static NewAlert alert(String linkKey, Severity severity, String attackerIp) {
        Map<String, Object> data = Map.of(
                "json_version", "2.0",
                "classification", "phish",
                "attacker", Map.of("ip_address", attackerIp),
                "cnc_hosts", java.util.List.of(Map.of("host", "cnc.evil.test", "port", 443)),
                "email",
                        Map.of(
                                "sender", "bad@evil.test",
                                "recipient", "alice@example.org",
                                "subject", "Invoice",
                                "message_id", "<m1@evil.test>",
                                "delivery_time", "2026-01-05T10:00:00Z"));
        return new NewAlert(
                "json",
                "Abuse Mailbox 1",
                null,
                linkKey,
                severity,
                "phish from attacker",
                null,
                null,
                data,
                java.util.List.of("<" + attackerIp + "@evil.test>"));
    }
}
