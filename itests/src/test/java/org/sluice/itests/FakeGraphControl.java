package org.sluice.itests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.sluice.fakes.graph.FakeGraphLimits;
import org.sluice.fakes.graph.FakeGraphServer;
import org.sluice.fakes.graph.FakeMessage;

/**
 * A fake Graph service for {@link QuarantineCampaignIT}, started in the test driver's JVM (the container cannot load
 * the fake: it needs the JDK's HTTP server, which the OSGi framework does not export), with a second loopback HTTP
 * server through which the test inside the container delivers messages, injects faults and reads the fake's
 * mailboxes and counters. The control server is separate, so none of its requests count as Graph requests.
 *
 * <p>Control endpoints (query parameters URL-encoded): {@code POST /deliver?mailbox=&folder=} with the MIME bytes as
 * body answers the new message's immutable id; {@code GET /mailbox?address=} answers every message of a mailbox as
 * JSON ({@code immutable_id}, {@code folder_id}, {@code mime} in base64, {@code permanent_deletes}) with the ids of
 * the well-known folders; {@code POST /faults?mailbox=&status=&retry_after=&count=}; {@code GET /stats}.
 */
final class FakeGraphControl {

    static final String TENANT = "campaign-tenant";
    static final String CLIENT = "campaign-client";
    static final String SECRET = "campaign-secret-9876543210";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Held for the driver JVM's life: the container calls them until the test class ends. */
    private static FakeGraphServer fake;

    private static HttpServer control;

    private FakeGraphControl() {}

    /** Starts the fake and its control server once; returns {Graph base URL, token endpoint, control URL}. */
    static synchronized String[] start() {
        if (fake == null) {
            try {
                fake = FakeGraphServer.start(FakeGraphLimits.exchangeOnline());
                control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                control.createContext("/", FakeGraphControl::handle);
                control.start();
            } catch (IOException e) {
                throw new IllegalStateException("the fake Graph service did not start", e);
            }
            fake.registerApp(CLIENT, SECRET);
        }
        return new String[] {
            fake.baseUrl(),
            fake.tokenEndpoint(TENANT),
            "http://127.0.0.1:" + control.getAddress().getPort()
        };
    }

    private static void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        byte[] answer;
        try {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            switch (exchange.getRequestMethod() + " " + path) {
                case "POST /deliver" -> {
                    byte[] mime = exchange.getRequestBody().readAllBytes();
                    FakeMessage message = fake.deliver(query.get("mailbox"), query.get("folder"), mime, Instant.now());
                    answer = message.immutableId().getBytes(StandardCharsets.UTF_8);
                }
                case "GET /mailbox" -> answer = JSON.writeValueAsBytes(mailbox(query.get("address")));
                case "POST /faults" -> {
                    String retryAfter = query.get("retry_after");
                    fake.injectFaults(
                            query.get("mailbox"),
                            Integer.parseInt(query.get("status")),
                            retryAfter == null || retryAfter.isEmpty() ? null : retryAfter,
                            Integer.parseInt(query.get("count")));
                    answer = new byte[0];
                }
                case "GET /stats" -> answer = JSON.writeValueAsBytes(fake.stats());
                default -> {
                    status = 404;
                    answer = ("no control endpoint " + path).getBytes(StandardCharsets.UTF_8);
                }
            }
        } catch (RuntimeException e) {
            status = 400;
            answer = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
        }
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private static ObjectNode mailbox(String address) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode folders = node.putObject("folders");
        for (String name :
                new String[] {"inbox", "drafts", "deleteditems", "recoverableitemsdeletions", "recoverableitemspurges"
                }) {
            fake.folderId(address, name).ifPresent(id -> folders.put(name, id));
        }
        ArrayNode messages = node.putArray("messages");
        for (FakeMessage m : fake.allMessages(address)) {
            messages.addObject()
                    .put("immutable_id", m.immutableId())
                    .put("folder_id", m.folderId())
                    .put("mime", Base64.getEncoder().encodeToString(m.mime()))
                    .put("permanent_deletes", fake.permanentDeletes(m.immutableId()));
        }
        return node;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
