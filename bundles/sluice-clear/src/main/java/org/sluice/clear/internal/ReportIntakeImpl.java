package org.sluice.clear.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.clear.Disposition;
import org.sluice.api.clear.ReportIntake;
import org.sluice.api.clear.ReportOutcome;
import org.sluice.api.fault.CrashPoints;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentUser;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Severity;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.notify.NotificationService;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.clear.internal.ReporterCheck.Reporter;
import org.sluice.mail.MailParser;
import org.sluice.mail.ParsedMessage;
import org.sluice.rules.RuleEngine;
import org.sluice.rules.Verdict;

/**
 * The CLEAR report intake: keeps the raw report, unwraps it ({@link ReportUnwrapper}), checks the reporter
 * ({@link ReporterCheck}), classifies the reported message with the active ruleset and files an alert of source
 * {@value #SOURCE}. Alerts about the same reported message share a link key (its Message-ID, or for an inline forward
 * its sender, subject and date), so further reports join the open incident of the first; each authenticated reporter
 * is added to the incident as a {@link IncidentUser.Role#REPORTER}.
 *
 * <p>The incident's {@code Abuse Disposition} field takes the disposition's wire name when it has none yet or the new
 * one outranks it; the severity follows {@link Disposition#severity()} and is never lowered (the core raises with
 * {@link Severity#atLeast}). Unauthenticated reports are filed and flagged ({@code authenticated: false} in the
 * alert's data, "unauthenticated" in its summary), their reporter not added, and they never set incident fields.
 *
 * <p>An authenticated report whose disposition has the quarantine policy enabled ({@code clear.policy.*.quarantine})
 * queues the incident's quarantine through the response queue, once per incident; when the reported message has more
 * internal recipients than {@code clear.policy.quarantine_cap}, a comment says it waits for an analyst instead.
 *
 * <p>An authenticated report whose disposition has the feedback policy enabled ({@code clear.policy.*.feedback})
 * queues the Abuse Feedback template of that disposition ({@code abuse-feedback-<disposition>} of the set named by
 * {@code clear.policy.feedback_template_set}) to the reporter, as a notification job; the same report handed in again
 * is not answered again, another reporter's report of the same message is. Then, with {@code clear.policy.*.close},
 * the incident is closed (its queued responses still run). Unauthenticated reporters get neither.
 *
 * <p>A report whose reported message cannot be found, or whose analysis throws, is still filed: as an alert with
 * status {@code failed}, the problem and the raw report's hash in its data. Such alerts do not open an incident each:
 * they gather on one incident per authenticated reporter and day, and one per day for all unauthenticated reports
 * ({@link ReportedEmail#failedLinkKey}), so that a stream of unreadable reports cannot flood the incident list. The
 * same report bytes handed in twice make one alert (its external id is the report's SHA-256).
 *
 * <p>An analysed report's alert carries the reported message as the payload's {@code email} object (see
 * {@link ReportedEmail}), so quarantine finds its copies by Message-ID or, for an inline forward, by sender, subject
 * and time; and {@code source_name}, the name the compatible API shows as the event source.
 */
@Component(service = ReportIntake.class)
public class ReportIntakeImpl implements ReportIntake {

    /** The alert source type of reports. */
    static final String SOURCE = "clear";

    /** The crash point between classifying a report and filing its alert. */
    static final String ANALYSING = "clear.analysing";

    /** The severity of a report before any rule raises it. */
    static final Severity BASE_SEVERITY = Severity.LOW;

    private static final Logger logger = LoggerFactory.getLogger(ReportIntakeImpl.class);
    private static final int MAX_SUMMARY_SUBJECT = 200;

    /** The setting that enables the quarantine policy of each disposition. */
    private static final Map<Disposition, Setting> POLICY_SETTINGS = Map.of(
            Disposition.MALICIOUS, Setting.CLEAR_QUARANTINE_MALICIOUS,
            Disposition.SUSPICIOUS, Setting.CLEAR_QUARANTINE_SUSPICIOUS,
            Disposition.BULK, Setting.CLEAR_QUARANTINE_BULK,
            Disposition.LOW_RISK, Setting.CLEAR_QUARANTINE_LOW_RISK);

    /** The setting that enables the abuse feedback of each disposition. */
    private static final Map<Disposition, Setting> FEEDBACK_SETTINGS = Map.of(
            Disposition.MALICIOUS, Setting.CLEAR_FEEDBACK_MALICIOUS,
            Disposition.SUSPICIOUS, Setting.CLEAR_FEEDBACK_SUSPICIOUS,
            Disposition.BULK, Setting.CLEAR_FEEDBACK_BULK,
            Disposition.LOW_RISK, Setting.CLEAR_FEEDBACK_LOW_RISK,
            Disposition.UNKNOWN, Setting.CLEAR_FEEDBACK_UNKNOWN);

    /** The setting that enables closing the incident for each disposition (none for Unknown, which decides nothing). */
    private static final Map<Disposition, Setting> CLOSE_SETTINGS = Map.of(
            Disposition.MALICIOUS, Setting.CLEAR_CLOSE_MALICIOUS,
            Disposition.SUSPICIOUS, Setting.CLEAR_CLOSE_SUSPICIOUS,
            Disposition.BULK, Setting.CLEAR_CLOSE_BULK,
            Disposition.LOW_RISK, Setting.CLEAR_CLOSE_LOW_RISK);

    private final RawMailStore rawMail;
    private final IncidentService incidents;
    private final RuleEngine rules;
    private final SettingsService settings;
    private final QuarantineService quarantine;
    private final NotificationService notifications;
    private final ReportUnwrapper unwrapper = new ReportUnwrapper(new MailParser());

    @Activate
    public ReportIntakeImpl(
            @Reference RawMailStore rawMail,
            @Reference IncidentService incidents,
            @Reference RuleEngine rules,
            @Reference SettingsService settings,
            @Reference QuarantineService quarantine,
            @Reference NotificationService notifications) {
        this.rawMail = rawMail;
        this.incidents = incidents;
        this.rules = rules;
        this.settings = settings;
        this.quarantine = quarantine;
        this.notifications = notifications;
    }

    @Override
    public ReportOutcome submit(byte[] raw, String origin, Actor actor) throws IOException {
        String reportSha = rawMail.store(new ByteArrayInputStream(raw)).sha256();
        try {
            return analyse(raw, reportSha, origin, actor);
        } catch (RuntimeException e) {
            logger.warn(
                    "Analysing report {} failed ({}); filing it as a failed report",
                    reportSha,
                    e.getClass().getName());
            logger.debug("Report analysis failure", e);
            return failed(
                    reportSha, origin, actor, "analysis failed: " + e.getClass().getSimpleName(), null);
        }
    }

    private ReportOutcome analyse(byte[] raw, String reportSha, String origin, Actor actor) throws IOException {
        Unwrapped unwrapped = unwrapper.unwrap(raw);
        Reporter reporter = ReporterCheck.check(unwrapped.report(), settings.internalDomains(), trustedHeader());
        if (!unwrapped.found()) {
            return failed(reportSha, origin, actor, "no reported message found in the report", reporter);
        }
        String reportedSha = unwrapped.reportedRaw() == raw
                ? reportSha
                : rawMail.store(new ByteArrayInputStream(unwrapped.reportedRaw()))
                        .sha256();
        ParsedMessage reported = unwrapped.reported();

        Verdict verdict = rules.evaluate(ReportedEmail.facts(
                reported, reporter.address(), reporter.authenticated(), settings.internalDomains()));
        Disposition disposition = verdict.disposition();
        Severity severity = BASE_SEVERITY.atLeast(disposition.severity().orElse(null));
        String messageId =
                reported.messageId().isBlank() ? null : reported.messageId().strip();

        List<String> problems = new ArrayList<>();
        verdict.errors().forEach(e -> problems.add("rule " + e.ruleId() + ": " + e.message()));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", "analysed");
        data.put("origin", origin);
        data.put("source_name", ReportedEmail.sourceName(origin));
        data.put("report_sha256", reportSha);
        data.put("reported_sha256", reportedSha);
        data.put("found_as", unwrapped.foundAs());
        data.put("message_id", messageId);
        data.put(
                "reported_from", reported.fromAddress().map(a -> a.normalized()).orElse(null));
        data.put("reported_subject", reported.subject());
        data.put("reported_date", reported.dateText());
        data.put("reporter", reporter.address());
        data.put("authenticated", reporter.authenticated());
        data.put("authentication", reporter.reason());
        data.put("disposition", disposition.wireName());
        data.put("rule_id", verdict.ruleId());
        data.put("ruleset", verdict.ruleset());
        data.put("ruleset_version", verdict.version());
        data.put("explanation", verdict.explanation());
        data.put(
                "matched_rules",
                verdict.matches().stream().map(Verdict.Match::ruleId).toList());
        data.put("problems", problems);
        data.put("email", ReportedEmail.email(reported, messageId, reporter, Instant.now()));

        String subject = clip(reported.subject());
        String summary = (reporter.authenticated() ? "Reported" : "Reported (unauthenticated reporter)") + ": "
                + (subject.isEmpty() ? "(no subject)" : subject);
        String description = verdict.explanation() + "\nReporter: "
                + (reporter.address() == null ? "(none)" : reporter.address()) + " ("
                + (reporter.authenticated() ? "authenticated" : "not authenticated") + ": " + reporter.reason() + ")";
        NewAlert alert = new NewAlert(
                SOURCE,
                origin,
                "report:" + reportSha,
                unwrapped.identity(),
                severity,
                summary,
                description,
                null,
                data,
                messageId == null ? List.of() : List.of(messageId));
        // Crash tests stop here: both raw messages are kept and classified, nothing is filed yet.
        CrashPoints.reach(ANALYSING);
        AlertReceipt receipt = incidents.submitAlert(alert, actor);

        if (reporter.authenticated()) {
            incidents.addUsers(
                    receipt.incidentId(),
                    List.of(new IncidentUser(reporter.address(), IncidentUser.Role.REPORTER)),
                    actor);
            recordDisposition(receipt.incidentId(), disposition, actor);
        }
        String policy = applyPolicy(receipt.incidentId(), disposition, reporter, reported, problems, actor);
        if (reporter.authenticated()) {
            // Once per reporter, message and verdict: a reporter who reports the same message again (other bytes,
            // another forward) is not told the same thing twice; a changed verdict is told.
            String feedbackKey = ReportUnwrapper.sha256(unwrapped.identity() + "\n" + disposition.wireName());
            sendFeedback(receipt.incidentId(), disposition, reporter, reported, feedbackKey, problems, actor);
            closeByPolicy(receipt.incidentId(), disposition, actor);
        }
        logger.info(
                "Report {} filed as alert {} on incident {}: {} by rule {} of ruleset {} {}, reporter {}",
                reportSha,
                receipt.alertId(),
                receipt.incidentId(),
                disposition.wireName(),
                verdict.ruleId(),
                verdict.ruleset(),
                verdict.version(),
                reporter.authenticated() ? "authenticated" : "not authenticated");
        return new ReportOutcome(
                receipt.alertId(),
                receipt.incidentId(),
                receipt.incidentCreated(),
                "analysed",
                reportSha,
                reportedSha,
                unwrapped.foundAs(),
                messageId,
                reporter.address(),
                reporter.authenticated(),
                disposition,
                verdict.ruleId(),
                verdict.ruleset(),
                verdict.version(),
                verdict.explanation(),
                severity,
                problems,
                policy);
    }

    /**
     * Applies the per-disposition quarantine policy (C5) to an authenticated report's incident. A failure to queue is
     * recorded on the incident and in the outcome; the report stays filed.
     */
    private String applyPolicy(
            long incidentId,
            Disposition disposition,
            Reporter reporter,
            ParsedMessage reported,
            List<String> problems,
            Actor actor) {
        Set<Disposition> enabled = EnumSet.noneOf(Disposition.class);
        POLICY_SETTINGS.forEach((d, setting) -> {
            if (Boolean.TRUE.equals(settings.get(setting))) {
                enabled.add(d);
            }
        });
        if (!reporter.authenticated() || !enabled.contains(disposition)) {
            return "none";
        }
        int cap = ((Number) settings.get(Setting.CLEAR_QUARANTINE_CAP)).intValue();
        int copies = QuarantinePolicy.internalCopies(reported, settings.internalDomains(), reporter.address());
        QuarantinePolicy.Decision decision =
                QuarantinePolicy.decide(disposition, true, enabled, copies, cap, quarantine.counts(incidentId));
        switch (decision) {
            case QUEUE -> {
                try {
                    QuarantineService.ManualResponse request = quarantine.quarantine(List.of(incidentId), null, actor);
                    incidents.addComment(
                            incidentId,
                            "Automatic quarantine of all internal copies queued by the " + disposition.wireName()
                                    + " policy (" + request.jobs().size() + " jobs)",
                            null,
                            actor);
                    return "queued";
                } catch (RuntimeException e) {
                    logger.warn("Automatic quarantine of incident {} failed to queue: {}", incidentId, e.toString());
                    problems.add("automatic quarantine could not be queued: " + e.getMessage());
                    incidents.addComment(
                            incidentId, "Automatic quarantine could not be queued: " + e.getMessage(), null, actor);
                    return "failed";
                }
            }
            case WAIT_FOR_ANALYST -> {
                incidents.addComment(
                        incidentId,
                        "Automatic quarantine waits for an analyst: the reported message has " + copies
                                + " internal recipients, above the cap of " + cap,
                        null,
                        actor);
                return "waiting-for-analyst";
            }
            case ALREADY_REQUESTED -> {
                return "already-requested";
            }
            default -> {
                return "none";
            }
        }
    }

    /**
     * Queues the abuse feedback of an authenticated report when its disposition's feedback policy is on. A failure to
     * queue is recorded on the incident and in the outcome's problems; the report stays filed.
     */
    private void sendFeedback(
            long incidentId,
            Disposition disposition,
            Reporter reporter,
            ParsedMessage reported,
            String feedbackKey,
            List<String> problems,
            Actor actor) {
        if (!enabled(FEEDBACK_SETTINGS.get(disposition)) || reporter.address() == null) {
            return;
        }
        Object set = settings.get(Setting.CLEAR_FEEDBACK_TEMPLATE_SET);
        String suffix = disposition.name().toLowerCase(Locale.ROOT).replace('_', '-');
        NotificationService.AffectedMessage message = new NotificationService.AffectedMessage(
                incidentId,
                reported.subject(),
                reported.from().isEmpty() ? null : shown(reported.from().get(0)),
                reported.date(),
                List.of());
        try {
            Optional<ResponseJob> job = notifications.notifyReporter(
                    new NotificationService.Feedback(
                            set == null ? null : set.toString(),
                            suffix,
                            incidentId,
                            reporter.address(),
                            message,
                            feedbackKey),
                    actor);
            job.ifPresent(j -> logger.info(
                    "Abuse feedback ({}) to the reporter of incident {} queued as job {}",
                    disposition.wireName(),
                    incidentId,
                    j.id()));
        } catch (RuntimeException e) {
            logger.warn("Abuse feedback for incident {} failed to queue: {}", incidentId, e.toString());
            problems.add("abuse feedback could not be queued: " + e.getMessage());
            incidents.addComment(incidentId, "Abuse feedback could not be queued: " + e.getMessage(), null, actor);
        }
    }

    /** Closes the incident when the disposition's close policy is on and the incident is still open. */
    private void closeByPolicy(long incidentId, Disposition disposition, Actor actor) {
        Setting setting = CLOSE_SETTINGS.get(disposition);
        if (setting == null || !enabled(setting)) {
            return;
        }
        boolean open = incidents.get(incidentId).map(i -> i.state().isOpen()).orElse(false);
        if (!open) {
            return;
        }
        try {
            incidents.close(
                    incidentId,
                    "Closed by the " + disposition.wireName() + " policy",
                    "An authenticated report was judged " + disposition.wireName() + "; the policy " + setting.key()
                            + " closes the incident.",
                    actor);
        } catch (RuntimeException e) {
            // Closed at the same moment by someone else, most likely; the report stays filed.
            logger.info(
                    "Incident {} was not closed by the {} policy: {}",
                    incidentId,
                    disposition.wireName(),
                    e.toString());
        }
    }

    private boolean enabled(Setting setting) {
        return setting != null && Boolean.TRUE.equals(settings.get(setting));
    }

    private static String shown(org.sluice.mail.MailAddress address) {
        return address.displayName().isBlank()
                ? address.address()
                : address.displayName() + " <" + address.address() + ">";
    }

    /** Sets the Abuse Disposition field unless the incident has one that ranks at least as high. */
    private void recordDisposition(long incidentId, Disposition disposition, Actor actor) {
        if (disposition == Disposition.UNKNOWN) {
            return;
        }
        String current = incidents.fields(incidentId).get("Abuse Disposition");
        boolean override = false;
        if (current != null && !current.isBlank()) {
            Disposition existing;
            try {
                existing = Disposition.parse(current);
            } catch (IllegalArgumentException e) {
                existing = Disposition.UNKNOWN;
            }
            if (!disposition.outranks(existing)) {
                return;
            }
            override = true;
        }
        incidents.setFields(incidentId, Map.of("Abuse Disposition", disposition.wireName()), override, actor);
    }

    private ReportOutcome failed(String reportSha, String origin, Actor actor, String problem, Reporter reporter) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", "failed");
        data.put("origin", origin);
        data.put("source_name", ReportedEmail.sourceName(origin));
        data.put("report_sha256", reportSha);
        data.put("reporter", reporter == null ? null : reporter.address());
        data.put("authenticated", reporter != null && reporter.authenticated());
        data.put("problems", List.of(problem));
        NewAlert alert = new NewAlert(
                SOURCE,
                origin,
                "report:" + reportSha,
                ReportedEmail.failedLinkKey(reporter, Instant.now()),
                BASE_SEVERITY,
                "Report could not be analysed: " + problem,
                "The raw report is kept in the raw-mail store as " + reportSha + ".",
                null,
                data);
        AlertReceipt receipt = incidents.submitAlert(alert, actor);
        if (reporter != null && reporter.authenticated() && reporter.address() != null) {
            incidents.addUsers(
                    receipt.incidentId(),
                    List.of(new IncidentUser(reporter.address(), IncidentUser.Role.REPORTER)),
                    actor);
        }
        logger.info(
                "Report {} filed as failed alert {} on incident {}: {}",
                reportSha,
                receipt.alertId(),
                receipt.incidentId(),
                problem);
        return new ReportOutcome(
                receipt.alertId(),
                receipt.incidentId(),
                receipt.incidentCreated(),
                "failed",
                reportSha,
                null,
                Unwrapped.NONE,
                null,
                reporter == null ? null : reporter.address(),
                reporter != null && reporter.authenticated(),
                Disposition.UNKNOWN,
                null,
                null,
                null,
                "Report could not be analysed: " + problem,
                BASE_SEVERITY,
                List.of(problem),
                "none");
    }

    private String trustedHeader() {
        Object value = settings.get(Setting.CLEAR_TRUSTED_REPORT_HEADER);
        return value == null ? "" : value.toString();
    }

    private static String clip(String text) {
        String t = text.replaceAll("[\\r\\n]", " ").strip();
        return t.length() > MAX_SUMMARY_SUBJECT ? t.substring(0, MAX_SUMMARY_SUBJECT) : t;
    }
}
