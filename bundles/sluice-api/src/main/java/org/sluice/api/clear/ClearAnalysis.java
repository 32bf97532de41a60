package org.sluice.api.clear;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Analyses of the reported messages CLEAR keeps: the headers of an alert's message (SPEC C6) and a dry run of a
 * ruleset over stored reports (SPEC C3). Implemented by the CLEAR bundle; read-only, nothing is changed.
 */
@ProviderType
public interface ClearAnalysis {

    /** The most reports one dry run evaluates. */
    int MAX_DRY_RUN = 1_000;

    /** The reports a dry run evaluates when no limit is given. */
    int DEFAULT_DRY_RUN = 200;

    /**
     * The header fields of an alert's message: a CLEAR alert's reported message (the report itself when none was
     * found in it), or the stored original of another alert. Fields keep their original order, repeated ones kept,
     * values decoded; the fields named by the {@code headers.prioritized} setting come first (in the setting's order)
     * and are flagged.
     *
     * @throws org.sluice.api.error.NotFoundException when there is no such alert or no stored message for it
     */
    AlertHeaders headers(long alertId);

    /**
     * Evaluates a ruleset over stored reports, newest first, and says what would change. Changes nothing.
     *
     * @throws org.sluice.api.error.ValidationException when the request is malformed, the named ruleset is not
     *     loaded, or the given YAML is not a valid ruleset (every problem named with its line)
     */
    DryRun dryRun(DryRunRequest request);

    /**
     * The header fields of one message.
     *
     * @param alertId the alert
     * @param sha256 the stored message they come from
     * @param headers prioritized fields first, then the others in message order
     * @param rawBlock the message's header block as it was stored (or, when the message has no separable one, such as
     *     an inline forward or an Outlook file, the fields written out one per line); attacker-made bytes
     */
    record AlertHeaders(long alertId, String sha256, List<Header> headers, byte[] rawBlock) {}

    /**
     * One header field.
     *
     * @param name the name as written
     * @param value the decoded value, unfolded, never containing CR or LF
     * @param position its place in the message, from 0
     * @param prioritized whether the {@code headers.prioritized} setting names it
     */
    record Header(String name, String value, int position, boolean prioritized) {}

    /**
     * What to dry-run. Exactly one of {@code ruleset} (a loaded ruleset's name, with {@code version} to pick one of
     * several loaded versions) and {@code yaml} (a ruleset not installed) is given.
     *
     * @param ruleset the name of a loaded ruleset, or {@code null}
     * @param version the version of the named ruleset, or {@code null} for the one loaded under that name (the active
     *     one when that name is active)
     * @param yaml a ruleset file's bytes, or {@code null}
     * @param receivedFrom only reports received at or after this, or {@code null}
     * @param receivedTo only reports received before this, or {@code null}
     * @param limit the most reports to evaluate, 1 to {@link #MAX_DRY_RUN}; 0 means {@link #DEFAULT_DRY_RUN}
     */
    record DryRunRequest(
            String ruleset, String version, byte[] yaml, Instant receivedFrom, Instant receivedTo, int limit) {}

    /**
     * The outcome of a dry run.
     *
     * @param ruleset the evaluated ruleset's name
     * @param version its version
     * @param digest the SHA-256 of its file
     * @param evaluated how many reports were evaluated
     * @param skipped how many reports in the window had no reported message to evaluate (failed reports, or their
     *     stored bytes gone)
     * @param changed how many of them would get another disposition or rule
     * @param truncated whether more reports matched the window than the limit (or the time budget) allowed
     * @param transitions how many reports go from one disposition to another, keyed {@code "<from> -> <to>"} in the
     *     compatible API's wire names (unchanged ones too, as {@code "Bulk -> Bulk"})
     * @param items one per evaluated report, newest first
     */
    record DryRun(
            String ruleset,
            String version,
            String digest,
            int evaluated,
            int skipped,
            int changed,
            boolean truncated,
            Map<String, Integer> transitions,
            List<DryRunItem> items) {}

    /**
     * One report in a dry run.
     *
     * @param alertId the report's alert
     * @param incidentId its incident
     * @param receivedAt when the report was received
     * @param subject the reported message's subject (attacker text)
     * @param currentDisposition the disposition recorded on the alert
     * @param currentRule the rule that made it, or {@code null}
     * @param currentVersion the ruleset version that made it, or {@code null}
     * @param disposition what the evaluated ruleset decides
     * @param rule the rule that decides it, or {@code null}
     * @param changed whether disposition or rule differ
     * @param errors rules that failed on this message, or a reason the report could not be evaluated
     */
    record DryRunItem(
            long alertId,
            long incidentId,
            Instant receivedAt,
            String subject,
            Disposition currentDisposition,
            String currentRule,
            String currentVersion,
            Disposition disposition,
            String rule,
            boolean changed,
            List<String> errors) {}
}
