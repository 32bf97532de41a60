package org.sluice.clear.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.clear.ClearAnalysis;
import org.sluice.api.clear.Disposition;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.mail.MailParser;
import org.sluice.mail.MessageFormat;
import org.sluice.mail.ParsedMessage;
import org.sluice.rules.RuleEngine;
import org.sluice.rules.Ruleset;
import org.sluice.rules.RulesetException;
import org.sluice.rules.Verdict;

/**
 * Read-only analyses of stored reports: an alert's headers (C6) and the dry run of a ruleset (C3).
 *
 * <p>A dry run reads the newest CLEAR alerts of the window (at most {@link ClearAnalysis#MAX_DRY_RUN}), takes each
 * one's reported message from the raw-mail store (re-unwrapping the report for an inline forward, as the intake did),
 * and evaluates the ruleset over the same facts the intake used: the reporter as recorded on the alert and today's
 * internal domains. It writes nothing. One dry run runs at a time, and one stops after {@link #DRY_RUN_BUDGET} with
 * what it has (marked truncated), so a dry run cannot take the server's CPU for long.
 */
@Component(service = ClearAnalysis.class)
public class ClearAnalysisImpl implements ClearAnalysis {

    static final Duration DRY_RUN_BUDGET = Duration.ofSeconds(60);

    private static final Logger logger = LoggerFactory.getLogger(ClearAnalysisImpl.class);

    private final IncidentService incidents;
    private final RawMailStore rawMail;
    private final RuleEngine rules;
    private final SettingsService settings;
    private final MailParser parser = new MailParser();
    private final ReportUnwrapper unwrapper = new ReportUnwrapper(parser);
    private final Semaphore running = new Semaphore(1);

    @Activate
    public ClearAnalysisImpl(
            @Reference IncidentService incidents,
            @Reference RawMailStore rawMail,
            @Reference RuleEngine rules,
            @Reference SettingsService settings) {
        this.incidents = incidents;
        this.rawMail = rawMail;
        this.rules = rules;
        this.settings = settings;
    }

    /** A stored message as the analyses see it. */
    private record Stored(String sha256, ParsedMessage message, byte[] rawBlock) {}

    @Override
    public AlertHeaders headers(long alertId) {
        Alert alert = incidents.alert(alertId).orElseThrow(() -> new NotFoundException("alert", alertId));
        Stored stored = load(alert);
        if (stored == null) {
            throw new NotFoundException("stored message of alert", alertId);
        }
        @SuppressWarnings("unchecked")
        List<String> prioritized = (List<String>) settings.get(Setting.PRIORITIZED_HEADERS);
        return new AlertHeaders(
                alertId,
                stored.sha256(),
                HeaderView.order(stored.message().headers(), prioritized == null ? List.of() : prioritized),
                stored.rawBlock());
    }

    /** The alert's message, or {@code null} when it has none stored. */
    private Stored load(Alert alert) {
        Map<String, Object> data = alert.data();
        String sha256;
        boolean unwrap;
        if (ReportIntakeImpl.SOURCE.equals(alert.sourceType())
                && data.get("reported_sha256") instanceof String reported
                && !reported.isBlank()) {
            sha256 = reported;
            Object foundAs = data.get("found_as");
            unwrap = Unwrapped.INLINE_FORWARD.equals(foundAs) || Unwrapped.REPORT_ITSELF.equals(foundAs);
        } else if (ReportIntakeImpl.SOURCE.equals(alert.sourceType())
                && data.get("report_sha256") instanceof String report
                && !report.isBlank()) {
            // No reported message was found: the report itself is the message there is.
            sha256 = report;
            unwrap = false;
        } else if (data.get("raw_sha256") instanceof String raw && !raw.isBlank()) {
            sha256 = raw;
            unwrap = false;
        } else {
            return null;
        }
        if (rawMail.find(sha256).isEmpty()) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = rawMail.open(sha256)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (unwrap) {
            Unwrapped unwrapped = unwrapper.unwrap(bytes);
            if (!unwrapped.found()) {
                return null;
            }
            ParsedMessage message = unwrapped.reported();
            return new Stored(sha256, message, HeaderView.written(message.headers()));
        }
        ParsedMessage message = parser.parse(bytes);
        byte[] block = message.format() == MessageFormat.MIME
                ? HeaderView.rawBlock(bytes)
                : HeaderView.written(message.headers());
        return new Stored(sha256, message, block);
    }

    @Override
    public DryRun dryRun(DryRunRequest request) {
        Objects.requireNonNull(request, "request");
        int limit = request.limit() == 0 ? DEFAULT_DRY_RUN : request.limit();
        if (limit < 1 || limit > MAX_DRY_RUN) {
            throw new ValidationException("limit", "must be between 1 and " + MAX_DRY_RUN);
        }
        if (request.receivedFrom() != null
                && request.receivedTo() != null
                && !request.receivedFrom().isBefore(request.receivedTo())) {
            throw new ValidationException("received_from", "must be before received_to");
        }
        Ruleset ruleset = ruleset(request);
        if (!running.tryAcquire()) {
            throw new ConflictException("a dry run is already running; try again when it has finished");
        }
        try {
            return run(ruleset, request, limit);
        } finally {
            running.release();
        }
    }

    private Ruleset ruleset(DryRunRequest request) {
        boolean named = request.ruleset() != null && !request.ruleset().isBlank();
        boolean given = request.yaml() != null && request.yaml().length > 0;
        if (named && given) {
            throw new ValidationException("ruleset", "give either a loaded ruleset's name or a ruleset file, not both");
        }
        if (given) {
            try {
                return rules.parse("dry-run", new ByteArrayInputStream(request.yaml()));
            } catch (RulesetException e) {
                throw new ValidationException("yaml", e.getMessage());
            }
        }
        if (!named) {
            return rules.active();
        }
        List<Ruleset> candidates = rules.loaded().stream()
                .filter(r -> r.name().equals(request.ruleset()))
                .filter(r -> request.version() == null
                        || request.version().isBlank()
                        || r.version().equals(request.version()))
                .toList();
        if (candidates.isEmpty()) {
            List<String> loaded = rules.loaded().stream()
                    .map(r -> r.name() + " " + r.version())
                    .toList();
            throw new ValidationException(
                    "ruleset",
                    "no loaded ruleset '" + request.ruleset() + "'"
                            + (request.version() == null || request.version().isBlank()
                                    ? ""
                                    : " of version '" + request.version() + "'")
                            + " (loaded: " + String.join(", ", loaded) + ")");
        }
        Ruleset active = rules.active();
        return candidates.stream()
                .filter(r -> r.digest() != null && r.digest().equals(active.digest()))
                .findFirst()
                .orElse(candidates.get(0));
    }

    private DryRun run(Ruleset ruleset, DryRunRequest request, int limit) {
        long deadline = System.nanoTime() + DRY_RUN_BUDGET.toNanos();
        List<Alert> alerts = incidents.alertsBySource(
                ReportIntakeImpl.SOURCE, request.receivedFrom(), request.receivedTo(), limit + 1);
        boolean truncated = alerts.size() > limit;
        List<String> internal = settings.internalDomains();
        List<DryRunItem> items = new ArrayList<>();
        Map<String, Integer> transitions = new TreeMap<>();
        int skipped = 0;
        int changed = 0;
        for (Alert alert : alerts.subList(0, Math.min(limit, alerts.size()))) {
            if (System.nanoTime() > deadline) {
                truncated = true;
                break;
            }
            Map<String, Object> data = alert.data();
            Stored stored = "analysed".equals(data.get("status")) ? load(alert) : null;
            if (stored == null) {
                skipped++;
                continue;
            }
            String reporter = data.get("reporter") instanceof String r ? r : null;
            boolean authenticated = Boolean.TRUE.equals(data.get("authenticated"));
            Verdict verdict =
                    rules.evaluate(ruleset, ReportedEmail.facts(stored.message(), reporter, authenticated, internal));
            Disposition current = disposition(data.get("disposition"));
            String currentRule = data.get("rule_id") instanceof String r ? r : null;
            boolean differs = current != verdict.disposition() || !Objects.equals(currentRule, verdict.ruleId());
            if (differs) {
                changed++;
            }
            transitions.merge(
                    current.wireName() + " -> " + verdict.disposition().wireName(), 1, Integer::sum);
            List<String> errors = verdict.errors().stream()
                    .map(e -> "rule " + e.ruleId() + ": " + e.message())
                    .toList();
            items.add(new DryRunItem(
                    alert.id(),
                    alert.incidentId(),
                    alert.receivedAt(),
                    stored.message().subject(),
                    current,
                    currentRule,
                    data.get("ruleset_version") instanceof String v ? v : null,
                    verdict.disposition(),
                    verdict.ruleId(),
                    differs,
                    errors));
        }
        logger.info(
                "Dry run of ruleset {} {}: {} reports evaluated, {} would change, {} skipped{}",
                ruleset.name(),
                ruleset.version(),
                items.size(),
                changed,
                skipped,
                truncated ? ", more left" : "");
        return new DryRun(
                ruleset.name(),
                ruleset.version(),
                ruleset.digest(),
                items.size(),
                skipped,
                changed,
                truncated,
                transitions,
                items);
    }

    private static Disposition disposition(Object wire) {
        if (wire instanceof String text) {
            for (Disposition d : Disposition.values()) {
                if (d.wireName().equals(text)) {
                    return d;
                }
            }
            try {
                return Disposition.parse(text);
            } catch (IllegalArgumentException e) {
                return Disposition.UNKNOWN;
            }
        }
        return Disposition.UNKNOWN;
    }
}
