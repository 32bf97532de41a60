package org.sluice.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.ws.rs.Consumes;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.clear.ReportIntake;
import org.sluice.api.clear.ReportOutcome;
import org.sluice.api.error.PluginUnavailableException;
import org.sluice.api.error.ValidationException;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.BodyLimitFilter;
import org.sluice.rest.internal.security.Caller;

/**
 * CLEAR report upload: a report (an e-mail someone forwarded to the abuse mailbox) as a MIME message ({@code .eml})
 * or an Outlook {@code .msg} file, up to {@link BodyLimitFilter#MAX_REPORT_BYTES}. The report intake keeps its raw
 * bytes, finds and classifies the reported message and files an alert; the answer names the alert, the incident and
 * the verdict. A report whose content cannot be analysed is still kept and filed (status {@code failed}), never a
 * server error. Answers 503 when the CLEAR feature is not running.
 */
@Path(ApiPaths.OWN + "/clear/reports")
@Produces(MediaType.APPLICATION_JSON)
@Allow(org.sluice.api.security.Role.ANALYST)
public class ClearResource {

    /** The media type of Outlook {@code .msg} files. */
    static final String OUTLOOK = "application/vnd.ms-outlook";

    private final Supplier<ReportIntake> intake;

    public ClearResource(Supplier<ReportIntake> intake) {
        this.intake = intake;
    }

    /** The media types a report may come as. */
    static final Set<String> ACCEPTED = Set.of("message/rfc822", OUTLOOK, MediaType.APPLICATION_OCTET_STREAM);

    /**
     * Takes any declared type so that the caller is authenticated before the type is judged (a type mismatch found
     * while matching resources would answer 415 to anonymous callers); other types are refused here with 415.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response upload(
            InputStream body, @HeaderParam("Content-Type") String contentType, @Context SecurityContext caller)
            throws IOException {
        String type =
                contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!ACCEPTED.contains(type)) {
            return ErrorMapper.respond(
                    ApiPaths.OWN,
                    415,
                    "unsupported_media_type",
                    "a report is message/rfc822, application/vnd.ms-outlook or application/octet-stream");
        }
        ReportIntake current = intake.get();
        if (current == null) {
            throw new PluginUnavailableException("report intake", "clear");
        }
        byte[] raw = body.readAllBytes();
        if (raw.length == 0) {
            throw new ValidationException("body", "the report is empty");
        }
        ReportOutcome outcome = current.submit(raw, "upload", Caller.actorOf(caller));
        return Response.status(outcome.incidentCreated() ? 201 : 200)
                .entity(body(outcome))
                .build();
    }

    static Map<String, Object> body(ReportOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alert_id", o.alertId());
        m.put("incident_id", o.incidentId());
        m.put("incident_created", o.incidentCreated());
        m.put("status", o.status());
        m.put("report_sha256", o.reportSha256());
        m.put("reported_sha256", o.reportedSha256());
        m.put("found_as", o.foundAs());
        m.put("message_id", o.messageId());
        m.put("reporter", o.reporter());
        m.put("authenticated", o.authenticated());
        m.put("disposition", o.disposition().wireName());
        m.put("rule_id", o.ruleId());
        m.put("ruleset", o.ruleset());
        m.put("ruleset_version", o.rulesetVersion());
        m.put("explanation", o.explanation());
        m.put("severity", o.severity().name().toLowerCase(Locale.ROOT));
        m.put("problems", o.problems());
        m.put("policy", o.policy());
        return m;
    }
}
