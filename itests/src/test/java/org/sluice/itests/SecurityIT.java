package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.net.ssl.HttpsURLConnection;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.core.Application;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.CreatedApiKey;
import org.sluice.api.security.Role;

/** Security defaults: authentication on every endpoint, roles, API keys, secrets kept out of sight, bind addresses. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityIT extends SluiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/sluice/api/v1";

    @Inject
    @Filter(value = "(osgi.jaxrs.name=sluice)", timeout = 120_000)
    private Application api;

    @Inject
    private ApiKeyService apiKeys;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    /** One operation of the API, as the JAX-RS application registers it. */
    private record Endpoint(String method, String template, boolean isPublic) {}

    @Test
    public void everyRegisteredEndpointRefusesAnonymousCallersExceptDocumentedPublicOnes() throws Exception {
        List<Endpoint> endpoints = endpoints();
        Set<String> expectedPublic = Set.of(
                "GET " + API + "/health",
                "GET " + API + "/openapi.json",
                "GET " + API + "/docs",
                "GET " + API + "/docs/{file}");
        assertTrue("the census found too few endpoints: " + endpoints, endpoints.size() >= 30);

        List<String> failures = new ArrayList<>();
        Set<String> foundPublic = new HashSet<>();
        for (Endpoint endpoint : endpoints) {
            String url =
                    endpoint.template().replaceAll("\\{ext: [^}]*}", ".json").replaceAll("\\{(\\w+)(: [^}]+)?}", "1");
            String body = endpoint.method().equals("GET") || endpoint.method().equals("DELETE") ? null : "{}";
            int status = http(endpoint.method(), url, body).status();
            String name = endpoint.method() + " " + endpoint.template();
            if (endpoint.isPublic()) {
                foundPublic.add(name);
                if (status == 401 || status >= 500) {
                    failures.add(name + " is public but answered " + status);
                }
            } else if (status != 401) {
                failures.add(name + " answered " + status + " without credentials");
            }
        }

        assertEquals(List.of(), failures);
        assertEquals(expectedPublic, foundPublic);
    }

    @Test
    public void everyRegisteredEndpointIsDocumentedAndNothingElse() throws Exception {
        JsonNode document =
                JSON.readTree(http("GET", API + "/openapi.json", null).body());
        Set<String> documented = new HashSet<>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            document.get("paths")
                    .get(path)
                    .fieldNames()
                    .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path));
        }
        Set<String> registered = new HashSet<>();
        endpoints().stream()
                .filter(e -> e.template().startsWith(API + "/") || e.template().equals(API))
                .forEach(e -> registered.add(e.method() + " " + e.template().substring(API.length())));

        assertEquals(registered, documented);
    }

    @Test
    public void browsableDocumentationIsServed() throws Exception {
        HttpResult page = http("GET", API + "/docs/index.html", null);
        HttpResult script = http("GET", API + "/docs/swagger-ui-bundle.js", null);

        assertEquals(200, page.status());
        assertTrue(page.body().contains("swagger-ui"));
        assertEquals(200, script.status());
        assertEquals(404, http("GET", API + "/docs/..%2Fopenapi.json", null).status());
    }

    @Test
    public void rolesAreEnforcedAndRevokedKeysStopWorking() throws Exception {
        CreatedApiKey analyst = apiKeys.create("analyst-key", Role.ANALYST, Actor.system("itest"));
        CreatedApiKey reader = apiKeys.create("reader-key", Role.READ_ONLY, Actor.system("itest"));

        assertEquals(
                200,
                http("GET", API + "/incidents", null, "Authorization", "Bearer " + reader.secret())
                        .status());
        assertEquals(
                200,
                http("GET", API + "/incidents", null, "Authorization", reader.secret())
                        .status());
        assertEquals(
                200,
                http("GET", API + "/incidents", null, "Authorization", basic("any", reader.secret()))
                        .status());
        assertEquals(
                403,
                http("GET", API + "/audit", null, "Authorization", "Bearer " + analyst.secret())
                        .status());
        assertEquals(
                403,
                http(
                                "POST",
                                API + "/incidents/1/comments",
                                "{\"comment\":\"x\"}",
                                "Authorization",
                                "Bearer " + reader.secret())
                        .status());
        assertEquals(
                401,
                http("GET", API + "/incidents", null, "Authorization", "Bearer " + reader.secret() + "x")
                        .status());

        apiKeys.revoke(reader.key().id(), Actor.system("itest"));

        assertEquals(
                401,
                http("GET", API + "/incidents", null, "Authorization", "Bearer " + reader.secret())
                        .status());
        Optional<org.sluice.api.security.ApiKey> listed = apiKeys.list().stream()
                .filter(k -> k.id() == analyst.key().id())
                .findFirst();
        assertTrue("last use recorded", listed.orElseThrow().lastUsedAt() != null);
    }

    @Test
    public void adminPasswordWorksWrongPasswordDoesNot() throws Exception {
        await(Duration.ofSeconds(30), () -> assertTrue(Files.exists(adminPasswordFile())));

        assertEquals(
                200,
                http("GET", API + "/audit", null, "Authorization", basic("admin", adminPassword()))
                        .status());
        assertEquals(
                401,
                http("GET", API + "/audit", null, "Authorization", basic("admin", adminPassword() + "x"))
                        .status());
        assertEquals(
                401,
                http("GET", API + "/audit", null, "Authorization", basic("nobody", adminPassword()))
                        .status());
    }

    @Test
    public void idempotencyKeyReplaysTheFirstAnswerInsteadOfDoingTheWorkTwice() throws Exception {
        String admin = basic("admin", adminPassword());
        String user = "idem-" + System.nanoTime();
        String body = "{\"username\":\"" + user + "\",\"password\":\"a-long-password-1\",\"role\":\"analyst\"}";

        HttpResult first = http("POST", API + "/accounts", body, "Authorization", admin, "Idempotency-Key", user);
        HttpResult retry = http("POST", API + "/accounts", body, "Authorization", admin, "Idempotency-Key", user);
        HttpResult reused = http(
                "POST",
                API + "/accounts",
                body.replace("analyst", "admin"),
                "Authorization",
                admin,
                "Idempotency-Key",
                user);

        assertEquals(201, first.status());
        assertEquals(201, retry.status());
        assertEquals(JSON.readTree(first.body()), JSON.readTree(retry.body()));
        assertEquals(422, reused.status());
        assertEquals(
                1,
                JSON
                        .readTree(http("GET", API + "/accounts", null, "Authorization", admin)
                                .body())
                        .findValues("username")
                        .stream()
                        .filter(n -> n.asText().equals(user))
                        .count());
    }

    @Test
    public void aRetriedKeyCreationNeverShowsTheSecretAgainNorKeepsIt() throws Exception {
        String admin = basic("admin", adminPassword());
        String body = "{\"name\":\"idempotent-key\",\"role\":\"read-only\"}";
        int before = apiKeys.list().size();

        HttpResult first = http("POST", API + "/api-keys", body, "Authorization", admin, "Idempotency-Key", "k-1");
        HttpResult retry = http("POST", API + "/api-keys", body, "Authorization", admin, "Idempotency-Key", "k-1");

        assertEquals(201, first.status());
        assertEquals(409, retry.status());
        assertFalse(retry.body(), retry.body().contains("slk_"));
        assertEquals(before + 1, apiKeys.list().size());
    }

    @Test
    public void badRequestsAreToldPreciselyWhatIsWrongAndEachErrorCarriesACorrelationId() throws Exception {
        String admin = basic("admin", adminPassword());

        HttpResult array = http("POST", API + "/api-keys", "[1,2]", "Authorization", admin);
        assertEquals(array.body(), 400, array.status());
        assertEquals(
                "the request body must be a JSON object",
                JSON.readTree(array.body()).get("message").asText());

        HttpResult cut = http("POST", API + "/api-keys", "{\n\"name\": \"x\",\n", "Authorization", admin);
        assertEquals(cut.body(), 400, cut.status());
        assertTrue(cut.body(), cut.body().contains("(line 3, column"));
        assertFalse(cut.body(), cut.body().contains("java.") || cut.body().contains("Source"));

        HttpResult wrong = http("GET", API + "/audit", null, "Authorization", basic("admin", adminPassword() + "x"));
        assertTrue(
                wrong.body(),
                JSON.readTree(wrong.body()).get("message").asText().contains("not accepted"));

        HttpResult plain = http(
                "POST", API + "/api-keys", "{\"name\":\"p\"}", "Authorization", admin, "Content-Type", "text/plain");
        assertEquals(plain.body(), 415, plain.status());
        assertEquals(
                "unsupported_media_type",
                JSON.readTree(plain.body()).get("code").asText());

        // Over the 1 MiB limit without Content-Length: refused as too large, not as bad JSON.
        HttpsURLConnection chunked = (HttpsURLConnection) new URL(baseUrl() + API + "/api-keys").openConnection();
        chunked.setSSLSocketFactory(pinnedContext().getSocketFactory());
        chunked.setRequestMethod("POST");
        chunked.setRequestProperty("Authorization", admin);
        chunked.setRequestProperty("Content-Type", "application/json");
        chunked.setChunkedStreamingMode(16 * 1024);
        chunked.setDoOutput(true);
        byte[] filler = new byte[64 * 1024];
        java.util.Arrays.fill(filler, (byte) 'a');
        try (OutputStream out = chunked.getOutputStream()) {
            out.write("{\"name\":\"".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 24; i++) {
                out.write(filler);
            }
            out.write("\"}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException refusedWhileSending) {
            // The server may answer and close before the whole body is sent; the status is read below.
        }
        assertEquals(413, chunked.getResponseCode());
        assertEquals(
                "body_too_large",
                JSON.readTree(chunked.getErrorStream().readAllBytes())
                        .get("code")
                        .asText());

        String body = "{\"name\":\"correlated\",\"role\":\"read-only\"}";
        http("POST", API + "/api-keys", body, "Authorization", admin, "Idempotency-Key", "corr-1");
        HttpResult retry = http("POST", API + "/api-keys", body, "Authorization", admin, "Idempotency-Key", "corr-1");
        assertEquals(409, retry.status());
        for (HttpResult each : List.of(array, cut, wrong, plain, retry)) {
            assertFalse(
                    each.body(),
                    JSON.readTree(each.body()).path("correlation_id").asText().isEmpty());
        }
    }

    @Test
    public void secretsStayOutOfLogsListingsAndConfigurationFiles() throws Exception {
        String admin = basic("admin", adminPassword());
        HttpResult created = http(
                "POST", API + "/api-keys", "{\"name\":\"leak-check\",\"role\":\"analyst\"}", "Authorization", admin);
        String secret = JSON.readTree(created.body()).get("key").asText();
        http("GET", API + "/me", null, "Authorization", "Bearer " + secret);
        HttpResult listing = http("GET", API + "/api-keys", null, "Authorization", admin);
        String auditLog = http("GET", API + "/audit?limit=500", null, "Authorization", admin)
                .body();

        assertFalse(listing.body().contains(secret));
        assertFalse(auditLog.contains(secret));
        for (String needle : List.of(secret, adminPassword(), secret.substring(13))) {
            assertNoFileContains(Path.of(System.getProperty("karaf.data"), "log"), needle);
            assertNoFileContains(Path.of(System.getProperty("karaf.etc")), needle);
        }
        String web = Files.readString(Path.of(System.getProperty("karaf.etc"), "org.ops4j.pax.web.cfg"));
        assertTrue(web.matches("(?s).*org\\.ops4j\\.pax\\.web\\.ssl\\.keystore\\.password = ENC\\(.*"));
    }

    @Test
    public void shellAccessFollowsAnAdminsPasswordAndEndsWhenTheAccountIsDisabled() throws Exception {
        String admin = basic("admin", adminPassword());
        String user = "shelly" + (System.nanoTime() % 100_000);
        Path usersFile = Path.of(System.getProperty("karaf.etc"), "users.properties");
        HttpResult created = http(
                "POST",
                API + "/accounts",
                "{\"username\":\"" + user + "\",\"password\":\"first-password-123\",\"role\":\"admin\"}",
                "Authorization",
                admin);
        assertEquals(created.body(), 201, created.status());

        HttpResult changed = http(
                "PUT",
                API + "/accounts/" + user + "/password",
                "{\"password\":\"second-password-456\"}",
                "Authorization",
                admin);
        assertEquals(changed.body(), 200, changed.status());
        String hash = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("second-password-456".getBytes(StandardCharsets.UTF_8)));
        assertTrue(
                Files.readString(usersFile),
                Files.readAllLines(usersFile).contains(user + " = {CRYPT}" + hash + "{CRYPT},_g_:admingroup"));

        HttpResult disabled =
                http("PUT", API + "/accounts/" + user + "/disabled", "{\"disabled\":true}", "Authorization", admin);
        assertEquals(disabled.body(), 200, disabled.status());
        assertFalse(Files.readString(usersFile), Files.readString(usersFile).contains(user + " ="));
    }

    @Test
    public void theLastEnabledAdminCannotBeDisabledOrDemoted() throws Exception {
        String admin = basic("admin", adminPassword());
        for (JsonNode account : JSON.readTree(
                http("GET", API + "/accounts", null, "Authorization", admin).body())) {
            String name = account.get("username").asText();
            if (account.get("role").asText().equals("admin")
                    && !account.get("disabled").asBoolean()
                    && !name.equals("admin")) {
                HttpResult off = http(
                        "PUT", API + "/accounts/" + name + "/disabled", "{\"disabled\":true}", "Authorization", admin);
                assertEquals(off.body(), 200, off.status());
            }
        }

        HttpResult disabled =
                http("PUT", API + "/accounts/admin/disabled", "{\"disabled\":true}", "Authorization", admin);
        assertEquals(disabled.body(), 409, disabled.status());
        assertTrue(disabled.body(), disabled.body().contains("last enabled admin"));
        HttpResult demoted =
                http("PUT", API + "/accounts/admin/role", "{\"role\":\"analyst\"}", "Authorization", admin);
        assertEquals(demoted.body(), 409, demoted.status());
        assertTrue(demoted.body(), demoted.body().contains("last enabled admin"));

        JsonNode still = JSON.readTree(http("GET", API + "/accounts/admin", null, "Authorization", admin)
                .body());
        assertEquals("admin", still.get("role").asText());
        assertFalse(still.get("disabled").asBoolean());
        assertEquals(
                200, http("GET", API + "/audit", null, "Authorization", admin).status());
    }

    @Test
    public void keysThatOutrankTheirDemotedCreatorAreRevokedAndAllOfADisabledCreatorsKeys() throws Exception {
        String admin = basic("admin", adminPassword());
        String maker = "keymaker" + (System.nanoTime() % 100_000);
        HttpResult created = http(
                "POST",
                API + "/accounts",
                "{\"username\":\"" + maker + "\",\"password\":\"maker-password-123\",\"role\":\"admin\"}",
                "Authorization",
                admin);
        assertEquals(created.body(), 201, created.status());
        String makerAuth = basic(maker, "maker-password-123");
        List<String> secrets = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String role : List.of("admin", "analyst", "read-only")) {
            HttpResult key = http(
                    "POST",
                    API + "/api-keys",
                    "{\"name\":\"" + maker + "-" + role + "\",\"role\":\"" + role + "\"}",
                    "Authorization",
                    makerAuth);
            assertEquals(key.body(), 201, key.status());
            JsonNode body = JSON.readTree(key.body());
            secrets.add("Bearer " + body.get("key").asText());
            ids.add(body.get("id").asText());
        }

        HttpResult demoted =
                http("PUT", API + "/accounts/" + maker + "/role", "{\"role\":\"analyst\"}", "Authorization", admin);
        assertEquals(demoted.body(), 200, demoted.status());
        assertEquals(
                401,
                http("GET", API + "/incidents", null, "Authorization", secrets.get(0))
                        .status());
        assertEquals(
                200,
                http("GET", API + "/incidents", null, "Authorization", secrets.get(1))
                        .status());
        assertEquals(
                200,
                http("GET", API + "/incidents", null, "Authorization", secrets.get(2))
                        .status());

        HttpResult disabled =
                http("PUT", API + "/accounts/" + maker + "/disabled", "{\"disabled\":true}", "Authorization", admin);
        assertEquals(disabled.body(), 200, disabled.status());
        assertEquals(
                401,
                http("GET", API + "/incidents", null, "Authorization", secrets.get(1))
                        .status());
        assertEquals(
                401,
                http("GET", API + "/incidents", null, "Authorization", secrets.get(2))
                        .status());

        Set<String> revoked = new HashSet<>();
        for (JsonNode entry : JSON.readTree(
                        http("GET", API + "/audit?target_type=apikey&limit=500", null, "Authorization", admin)
                                .body())
                .get("items")) {
            if (entry.get("action").asText().equals("apikey.revoke")) {
                revoked.add(entry.get("target_id").asText());
            }
        }
        assertTrue(revoked.toString(), revoked.containsAll(ids));
    }

    @Test
    public void theTrustedReportHeaderIsSetButNeverShown() throws Exception {
        String admin = basic("admin", adminPassword());
        String key = "clear.trusted_report_header";
        String secret = "tr-" + System.nanoTime();
        CreatedApiKey reader = apiKeys.create("settings-reader", Role.READ_ONLY, Actor.system("itest"));
        try {
            HttpResult bad =
                    http("PUT", API + "/settings", "{\"" + key + "\":\"" + secret + "\"}", "Authorization", admin);
            assertEquals(bad.body(), 400, bad.status());
            assertTrue(bad.body(), bad.body().contains(key));
            assertFalse(bad.body(), bad.body().contains(secret));
            HttpResult noValue =
                    http("PUT", API + "/settings", "{\"" + key + "\":\"X-Sluice:  \"}", "Authorization", admin);
            assertEquals(noValue.body(), 400, noValue.status());

            HttpResult set = http(
                    "PUT", API + "/settings", "{\"" + key + "\":\"X-Sluice: " + secret + "\"}", "Authorization", admin);
            assertEquals(set.body(), 200, set.status());
            assertFalse(set.body(), set.body().contains(secret));
            for (String caller : List.of(admin, "Bearer " + reader.secret())) {
                HttpResult listed = http("GET", API + "/settings", null, "Authorization", caller);
                assertEquals(listed.body(), 200, listed.status());
                assertFalse(listed.body(), listed.body().contains(secret));
                String shown = null;
                for (JsonNode setting : JSON.readTree(listed.body())) {
                    if (setting.get("key").asText().equals(key)) {
                        shown = setting.get("value").asText();
                        assertTrue(setting.get("secret").asBoolean());
                    }
                }
                assertEquals("X-Sluice: \u2022\u2022\u2022\u2022", shown);
            }
            String audit = http("GET", API + "/audit?target_type=setting&limit=500", null, "Authorization", admin)
                    .body();
            assertTrue(audit, audit.contains("X-Sluice"));
            assertFalse(audit, audit.contains(secret));
            assertNoFileContains(Path.of(System.getProperty("karaf.data"), "log"), secret);
        } finally {
            http("PUT", API + "/settings", "{\"" + key + "\":\"\"}", "Authorization", admin);
            apiKeys.revoke(reader.key().id(), Actor.system("itest"));
        }
    }

    @Test
    public void noDefaultPasswordShipsAndShellUsersAreHashed() throws Exception {
        await(Duration.ofSeconds(30), () -> assertTrue(Files.exists(adminPasswordFile())));
        List<String> users = Files.readAllLines(Path.of(System.getProperty("karaf.etc"), "users.properties"));

        List<String> entries = users.stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("_g_"))
                .toList();

        assertEquals(1, entries.size());
        assertTrue(entries.get(0), entries.get(0).matches("admin = \\{CRYPT}[0-9a-f]{64}\\{CRYPT},_g_:admingroup"));
    }

    /**
     * Pax Exam puts its own RMI registry, which listens everywhere, on the JMX registry port; the registry of the
     * real distribution is checked by the external-process tests instead.
     */
    @Test
    public void sshAndJmxListenOnLoopbackOnlyWhileHttpsListensEverywhere() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue("SKIPPED LOUDLY: this machine has no non-loopback IPv4 address to probe", external.isPresent());
        int ssh = Integer.parseInt(property("etc/org.apache.karaf.shell.cfg", "sshPort"));
        int rmiServer = Integer.parseInt(property("etc/org.apache.karaf.management.cfg", "rmiServerPort"));
        int https = Integer.parseInt(System.getProperty("sluice.itest.https.port"));

        assertTrue("SSH on loopback", connects(InetAddress.getLoopbackAddress(), ssh));
        assertFalse("SSH on " + external.get(), connects(external.get(), ssh));
        assertFalse("JMX server on " + external.get(), connects(external.get(), rmiServer));
        assertTrue("HTTPS on " + external.get(), connects(external.get(), https));
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String property(String file, String key) throws IOException {
        Path path = Path.of(System.getProperty("karaf.base"), file);
        for (String line : Files.readAllLines(path)) {
            String trimmed = line.trim();
            if (trimmed.startsWith(key)
                    && trimmed.substring(key.length()).trim().startsWith("=")) {
                return trimmed.substring(trimmed.indexOf('=') + 1).trim();
            }
        }
        throw new IllegalStateException(key + " not set in " + file);
    }

    private static Path adminPasswordFile() {
        return Path.of(System.getProperty("karaf.data"), "sluice", "initial-admin-password");
    }

    private static void assertNoFileContains(Path root, String needle) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.getFileName().toString().equals("initial-admin-password")) {
                    continue;
                }
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(needle.substring(0, 6) + "... found in " + file, text.contains(needle));
            }
        }
    }

    /** Every resource method of the application's singletons, with its full path template. */
    private List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Object singleton : api.getSingletons()) {
            Class<?> type = singleton.getClass();
            javax.ws.rs.Path classPath = type.getAnnotation(javax.ws.rs.Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                javax.ws.rs.Path methodPath = method.getAnnotation(javax.ws.rs.Path.class);
                String template = join(classPath.value(), methodPath == null ? "" : methodPath.value());
                endpoints.add(new Endpoint(verb, template, isPublic(type, method)));
            }
        }
        return endpoints;
    }

    private static boolean isPublic(Class<?> type, Method method) {
        boolean methodPublic = Stream.of(method.getAnnotations())
                .anyMatch(a -> a.annotationType().getSimpleName().equals("Public"));
        boolean methodAllows = Stream.of(method.getAnnotations())
                .anyMatch(a -> a.annotationType().getSimpleName().equals("Allow"));
        boolean typePublic = Stream.of(type.getAnnotations())
                .anyMatch(a -> a.annotationType().getSimpleName().equals("Public"));
        return methodPublic || (typePublic && !methodAllows);
    }

    private static String verb(Method method) {
        if (method.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (method.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (method.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        if (method.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        return null;
    }

    private static String join(String classPath, String methodPath) {
        String joined = "/" + classPath + "/" + methodPath;
        joined = joined.replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
