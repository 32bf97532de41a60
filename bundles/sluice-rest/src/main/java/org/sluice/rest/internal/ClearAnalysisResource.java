package org.sluice.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.ws.rs.Consumes;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.sluice.api.clear.ClearAnalysis;
import org.sluice.api.clear.ClearAnalysis.DryRun;
import org.sluice.api.clear.ClearAnalysis.DryRunItem;
import org.sluice.api.clear.ClearAnalysis.DryRunRequest;
import org.sluice.api.error.PluginUnavailableException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;

/**
 * The dry run of a CLEAR ruleset, handed to the CLEAR bundle's {@link ClearAnalysis} (503 when the CLEAR feature is
 * not running):
 *
 * <ul>
 *   <li>{@code POST /clear/dry-run}: evaluates a loaded ruleset (by name and version) or a ruleset file not installed
 *       over the stored reports of a time window and says what would change, per report and as counts per
 *       transition (SPEC C3). A JSON body names the ruleset or carries the file as {@code yaml}; a YAML body
 *       ({@code application/yaml}) is the file itself, with the window and limit as query parameters. Changes
 *       nothing.
 * </ul>
 */
@Path(ApiPaths.OWN + "/clear/dry-run")
@Produces(MediaType.APPLICATION_JSON)
public class ClearAnalysisResource {

    /** The fields of a JSON dry-run request. */
    private static final List<String> JSON_FIELDS =
            List.of("ruleset", "version", "yaml", "received_from", "received_to", "limit");

    static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml");

    private final Supplier<ClearAnalysis> analysis;
    private final ObjectMapper mapper;

    public ClearAnalysisResource(Supplier<ClearAnalysis> analysis, ObjectMapper mapper) {
        this.analysis = analysis;
        this.mapper = mapper;
    }

    private ClearAnalysis analysis() {
        ClearAnalysis current = analysis.get();
        if (current == null) {
            throw new PluginUnavailableException("CLEAR analysis", "clear");
        }
        return current;
    }

    /**
     * Takes any declared type so that the caller is authenticated before the type is judged (as the report upload
     * does); JSON and YAML are accepted.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Allow(Role.ANALYST)
    public Response dryRun(
            InputStream body,
            @HeaderParam("Content-Type") String contentType,
            @QueryParam("ruleset") String ruleset,
            @QueryParam("version") String version,
            @QueryParam("received_from") String receivedFrom,
            @QueryParam("received_to") String receivedTo,
            @QueryParam("limit") String limit)
            throws IOException {
        String type =
                contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        DryRunRequest request;
        if (YAML_TYPES.contains(type)) {
            byte[] yaml = body.readAllBytes();
            if (yaml.length == 0) {
                throw new ValidationException("body", "the ruleset file is empty");
            }
            request = new DryRunRequest(
                    null,
                    null,
                    yaml,
                    Times.parse("received_from", receivedFrom),
                    Times.parse("received_to", receivedTo),
                    integer("limit", limit));
        } else if (type.equals(MediaType.APPLICATION_JSON)) {
            byte[] bytes = body.readAllBytes();
            Map<String, Object> json;
            try {
                json = bytes.length == 0 ? Map.of() : mapper.readValue(bytes, Map.class);
            } catch (IOException e) {
                throw new ValidationException("body", "is not a JSON object");
            }
            for (String key : json.keySet()) {
                if (!JSON_FIELDS.contains(key)) {
                    throw new ValidationException(
                            key, "unknown field; a dry run takes " + String.join(", ", JSON_FIELDS));
                }
            }
            String yamlText = Bodies.optionalText(json, "yaml");
            Object limitValue = json.get("limit");
            if (limitValue != null && !(limitValue instanceof Integer)) {
                throw new ValidationException("limit", "must be a whole number");
            }
            // The window and limit may come as query parameters, as with a YAML body, or in the JSON; not both.
            String from = once("received_from", Bodies.optionalText(json, "received_from"), receivedFrom);
            String to = once("received_to", Bodies.optionalText(json, "received_to"), receivedTo);
            String limitText = once("limit", limitValue == null ? null : String.valueOf(limitValue), limit);
            request = new DryRunRequest(
                    Bodies.optionalText(json, "ruleset"),
                    Bodies.optionalText(json, "version"),
                    yamlText == null ? null : yamlText.getBytes(StandardCharsets.UTF_8),
                    Times.parse("received_from", from),
                    Times.parse("received_to", to),
                    integer("limit", limitText));
        } else {
            return ErrorMapper.respond(
                    ApiPaths.OWN,
                    415,
                    "unsupported_media_type",
                    "a dry run is application/json, or a ruleset file as application/yaml");
        }
        if (ruleset != null || version != null) {
            if (request.yaml() != null || request.ruleset() != null) {
                throw new ValidationException("ruleset", "give the ruleset once");
            }
            request = new DryRunRequest(
                    ruleset, version, null, request.receivedFrom(), request.receivedTo(), request.limit());
        }
        return Response.ok(body(analysis().dryRun(request))).build();
    }

    /** A value given in the body or as a query parameter; both at once is refused unless they agree. */
    private static String once(String field, String inBody, String inQuery) {
        if (inBody != null && inQuery != null && !inBody.equals(inQuery)) {
            throw new ValidationException(field, "given both in the body and as a query parameter; give it once");
        }
        return inBody != null ? inBody : inQuery;
    }

    private static int integer(String field, String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "must be a whole number");
        }
    }

    static Map<String, Object> body(DryRun run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ruleset", run.ruleset());
        m.put("version", run.version());
        m.put("digest", run.digest());
        m.put("evaluated", run.evaluated());
        m.put("skipped", run.skipped());
        m.put("changed", run.changed());
        m.put("truncated", run.truncated());
        m.put("transitions", run.transitions());
        List<Map<String, Object>> items = new ArrayList<>();
        for (DryRunItem item : run.items()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("alert_id", item.alertId());
            i.put("incident_id", item.incidentId());
            i.put("received_at", Times.format(item.receivedAt()));
            i.put("subject", item.subject());
            Map<String, Object> current = new LinkedHashMap<>();
            current.put("disposition", item.currentDisposition().wireName());
            current.put("rule_id", item.currentRule());
            current.put("ruleset_version", item.currentVersion());
            i.put("current", current);
            Map<String, Object> would = new LinkedHashMap<>();
            would.put("disposition", item.disposition().wireName());
            would.put("rule_id", item.rule());
            i.put("would_be", would);
            i.put("changed", item.changed());
            i.put("errors", item.errors());
            items.add(i);
        }
        m.put("items", items);
        return m;
    }
}
