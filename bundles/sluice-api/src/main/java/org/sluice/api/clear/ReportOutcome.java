package org.sluice.api.clear;

import java.util.List;
import org.sluice.api.incident.Severity;

/**
 * What became of one report.
 *
 * @param alertId the alert the report became
 * @param incidentId the incident that alert joined or opened
 * @param incidentCreated whether the report opened that incident
 * @param status {@code analysed} when the reported message was found and classified, {@code failed} when the report
 *     was kept but no reported message could be analysed (see {@code problems})
 * @param reportSha256 SHA-256 of the raw report in the raw-mail store
 * @param reportedSha256 SHA-256 of the raw reported message in the raw-mail store (the report itself for an inline
 *     forward or an Outlook container), or {@code null} when none was found
 * @param foundAs how the reported message was found: {@code attached-message}, {@code attached-file},
 *     {@code inline-forward}, {@code report-itself}, or {@code none}
 * @param messageId the reported message's Message-ID, or {@code null} when it has none (inline forwards)
 * @param reporter the reporter's address as the report's From names it, or {@code null}
 * @param authenticated whether the reporter's origin is authenticated (internal domain with aligned passing DMARC,
 *     DKIM or SPF on the report, or a trusted reporting add-in header)
 * @param disposition what the ruleset decided
 * @param ruleId the deciding rule, or {@code null}
 * @param ruleset the name of the ruleset evaluated, or {@code null} when none ran
 * @param rulesetVersion its version, or {@code null}
 * @param explanation one line explaining the decision or the failure
 * @param severity the severity of the alert
 * @param problems what went wrong on the way, empty when nothing did
 * @param policy what the per-disposition quarantine policy did: {@code none}, {@code already-requested},
 *     {@code queued}, {@code waiting-for-analyst} (above the cap) or {@code failed}
 */
public record ReportOutcome(
        long alertId,
        long incidentId,
        boolean incidentCreated,
        String status,
        String reportSha256,
        String reportedSha256,
        String foundAs,
        String messageId,
        String reporter,
        boolean authenticated,
        Disposition disposition,
        String ruleId,
        String ruleset,
        String rulesetVersion,
        String explanation,
        Severity severity,
        List<String> problems,
        String policy) {

    public ReportOutcome {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
