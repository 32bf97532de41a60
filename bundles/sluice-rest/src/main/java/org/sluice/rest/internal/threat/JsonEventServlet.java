package org.sluice.rest.internal.threat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.source.EventReceiver;

/**
 * {@code POST /threat/json_event/events/{source_id}}: the JSON alert source endpoint (PTR-API 3.12), owned by the core.
 * The body is read here, at most {@link JsonBodies#MAX_BYTES} of it, and parsed; the JSON alert source plugin (the
 * {@link EventReceiver} of type {@value #TYPE}, found through the {@link PluginRegistry}) validates it, maps it and
 * stores the alert. The plugin is looked up on every request, so it may come and go at any time; nothing here is
 * rebuilt when it does.
 *
 * <p>Answers, all JSON: 201 {@code {"alert_id", "incident_id", "incident_created"}}; 400 {@code {"message", "code",
 * "field"}} for a body that is not one JSON object or a field of the wrong type; 404 for an unknown source id; 405 for
 * other methods; 413 for a body over the cap; 503 while the plugin is not installed, with nothing stored. Checks run in
 * this order: size, plugin, syntax, source id, fields.
 *
 * <p>Why a servlet on the HTTP whiteboard rather than a JAX-RS application: on this stack every Aries JAX-RS
 * application is a CXF server at address {@code /}, and all CXF servlets share one destination registry, so a second
 * application would be answered by whichever registered last. A servlet also keeps the source id, which is the only
 * credential of this endpoint, away from CXF's logging of unmatched paths. An {@code Authorization} header is ignored.
 * Jetty and pax-web write no access log by default; enabling one ({@code org.ops4j.pax.web.log.ncsa.enabled}) would
 * record source ids.
 */
@Component(
        service = Servlet.class,
        property = {
            "osgi.http.whiteboard.servlet.pattern=" + JsonEventServlet.PATTERN,
            "osgi.http.whiteboard.servlet.name=sluice-json-events"
        })
public class JsonEventServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Where events are posted; the source id is the one path segment after it. */
    static final String PATTERN = "/threat/json_event/events/*";

    /** The receiver type that takes these events. */
    static final String TYPE = "json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient Logger logger = LoggerFactory.getLogger(JsonEventServlet.class);

    private final transient PluginRegistry plugins;

    @Activate
    public JsonEventServlet(@Reference PluginRegistry plugins) {
        this.plugins = plugins;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sourceId = sourceId(request.getPathInfo());
        if (sourceId == null) {
            error(response, 404, "not_found", "events are posted to /threat/json_event/events/{source_id}", null);
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            error(response, 405, "method_not_allowed", "events are sent with POST, not " + request.getMethod(), null);
            return;
        }
        try {
            post(sourceId, request, response);
        } catch (ValidationException e) {
            error(response, 400, e.code(), e.getMessage(), e.field());
        } catch (RuntimeException e) {
            String correlationId = UUID.randomUUID().toString();
            logger.error("A JSON event could not be stored [{}]", correlationId, e);
            error(
                    response,
                    500,
                    "internal_error",
                    "the server failed to store the event; its log has the details under " + correlationId,
                    null);
        }
    }

    private void post(String sourceId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > JsonBodies.MAX_BYTES) {
            tooLarge(response);
            return;
        }
        Optional<EventReceiver> receiver = plugins.eventReceiver(TYPE);
        if (receiver.isEmpty()) {
            error(
                    response,
                    503,
                    "plugin_unavailable",
                    "the JSON alert source is not installed (Karaf feature sluice-source-json); nothing was stored",
                    null);
            return;
        }
        Optional<byte[]> body = JsonBodies.read(request.getInputStream());
        if (body.isEmpty()) {
            tooLarge(response);
            return;
        }
        Map<String, Object> event = JsonBodies.parseObject(body.get());
        Optional<AlertReceipt> receipt = receiver.get().receive(sourceId, event, request.getRemoteAddr());
        if (receipt.isEmpty()) {
            error(response, 404, "not_found", "no JSON event source has this id", null);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("alert_id", receipt.get().alertId());
        answer.put("incident_id", receipt.get().incidentId());
        answer.put("incident_created", receipt.get().incidentCreated());
        write(response, 201, answer);
    }

    /** The single, non-empty path segment after the pattern, or {@code null}. */
    static String sourceId(String pathInfo) {
        if (pathInfo == null) {
            return null;
        }
        String id = pathInfo.startsWith("/") ? pathInfo.substring(1) : pathInfo;
        if (id.endsWith("/")) {
            id = id.substring(0, id.length() - 1);
        }
        return id.isEmpty() || id.contains("/") ? null : id;
    }

    private static void tooLarge(HttpServletResponse response) throws IOException {
        // The rest of the body stays unread; the connection is closed rather than drained.
        response.setHeader("Connection", "close");
        error(
                response,
                413,
                "payload_too_large",
                "the event body is larger than " + JsonBodies.MAX_BYTES + " bytes (1 MiB), the most accepted",
                null);
    }

    private static void error(HttpServletResponse response, int status, String code, String message, String field)
            throws IOException {
        String correlationId = UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("code", code);
        if (field != null) {
            body.put("field", field);
        }
        body.put("correlation_id", correlationId);
        response.setHeader("X-Correlation-Id", correlationId);
        write(response, status, body);
    }

    private static void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
