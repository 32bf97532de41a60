package org.sluice.rest.internal.compat;

import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.ApiPaths;
import org.sluice.rest.internal.security.Allow;

/**
 * The original message of an alert, as a download. It is live, attacker-made content: served only as an attachment,
 * with {@code nosniff}, never inline. An alert refers to its stored message by the SHA-256 in its payload's {@code
 * raw_sha256}; a CLEAR report's alert by {@code reported_sha256} (the reported message; for an inline forward, which
 * has no bytes of its own, the report that carries it), or, when no reported message was found in the report, by
 * {@code report_sha256} (the report itself).
 */
@Path(ApiPaths.COMPAT + "/v1/alerts")
@Allow(Role.ANALYST)
public class CompatAlertResource {

    private final IncidentService incidents;
    private final RawMailStore store;

    public CompatAlertResource(IncidentService incidents, RawMailStore store) {
        this.incidents = incidents;
        this.store = store;
    }

    @GET
    @Path("{id: \\d+}/download_original_msg")
    @Produces({"message/rfc822", "application/octet-stream", "application/json"})
    public Response download(@PathParam("id") long id) throws IOException {
        Alert alert = incidents.alert(id).orElseThrow(() -> new NotFoundException("alert", id));
        String sha256 = original(alert.data());
        if (sha256 == null || store.find(sha256).isEmpty()) {
            throw new NotFoundException("original message of alert", id);
        }
        StreamingOutput body = out -> {
            try (InputStream in = store.open(sha256)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "message/rfc822")
                .header("Content-Disposition", "attachment; filename=\"alert-" + id + ".eml\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The SHA-256 of the alert's original message in the raw-mail store, or {@code null}. */
    static String original(java.util.Map<String, Object> data) {
        if (data.get("raw_sha256") instanceof String sha256 && !sha256.isBlank()) {
            return sha256;
        }
        if (data.get("reported_sha256") instanceof String sha256 && !sha256.isBlank()) {
            return sha256;
        }
        if (data.get("report_sha256") instanceof String sha256 && !sha256.isBlank()) {
            return sha256;
        }
        return null;
    }
}
