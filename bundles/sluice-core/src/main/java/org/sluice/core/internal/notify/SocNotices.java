package org.sluice.core.internal.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.notify.NotificationService;
import org.sluice.api.notify.TemplateService;
import org.sluice.api.notify.TemplateSet;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.core.internal.incident.IncidentChangeListener;

/**
 * SOC notices (SPEC N5): e-mail to the configured SOC recipients about new incidents, new alerts on incidents and
 * state changes, each kind switchable in the settings.
 *
 * <p><b>Rate limit.</b> Time is cut into windows (15 minutes unless configured otherwise in PID {@code
 * org.sluice.notify.soc}, property {@code window.seconds}). Within a window the first {@code
 * notifications.soc.burst_limit} changes are told one by one; every later change of that window is folded into one
 * digest, sent when the window ends. A burst of any size therefore yields at most the limit plus one e-mail per
 * window. Changes are handled on a single thread of their own, so ingest never waits for rendering or queueing; the
 * pending digest lives in memory and is lost if the node stops before the window ends.
 */
@Component(
        service = IncidentChangeListener.class,
        configurationPid = "org.sluice.notify.soc",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class SocNotices implements IncidentChangeListener {

    /** How many changes a digest lists one by one; the rest are only counted. */
    static final int DIGEST_LINES = 100;

    private static final Actor ACTOR = Actor.system("soc-notices");
    private static final String SET = NotificationServiceImpl.DEFAULT_SET;

    /** Configuration of the SOC notices. */
    public @interface Config {
        /** The length of a rate-limit window in seconds. */
        long window_seconds() default 900;
    }

    private final Logger logger = LoggerFactory.getLogger(SocNotices.class);
    /*
     * Optional and dynamic: the incident engine holds this component as a listener, so a mandatory reference back to
     * it would be a cycle that DS may fail to break at start-up.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile IncidentService incidents;

    private final TemplateService templates;
    private final ResponseQueue queue;
    private final SettingsService settings;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sluice-soc-notices");
        thread.setDaemon(true);
        return thread;
    });

    // State of the current window; touched only on the worker thread.
    private volatile Duration window;
    private Instant windowStart = Instant.EPOCH;
    private int sentInWindow;
    private final List<Map<String, Object>> pending = new ArrayList<>();
    private long pendingCount;
    private ScheduledFuture<?> flush;

    @Activate
    public SocNotices(
            @Reference TemplateService templates,
            @Reference ResponseQueue queue,
            @Reference SettingsService settings,
            Config config) {
        this.templates = templates;
        this.queue = queue;
        this.settings = settings;
        modified(config);
    }

    @Modified
    void modified(Config config) {
        window = Duration.ofSeconds(Math.max(1, config.window_seconds()));
    }

    @Deactivate
    void deactivate() {
        ExecutorService stopping = worker;
        stopping.shutdownNow();
    }

    @Override
    public void changed(Change change) {
        if (!enabled(change.kind()) || settings.socRecipients().isEmpty()) {
            return;
        }
        try {
            worker.execute(() -> handle(change));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            logger.debug("SOC notices are stopping; change of incident {} not told", change.incidentId());
        }
    }

    private boolean enabled(Kind kind) {
        Setting setting = switch (kind) {
            case NEW_INCIDENT -> Setting.SOC_NEW_INCIDENT;
            case NEW_ALERT -> Setting.SOC_NEW_ALERT;
            case STATE_CHANGE -> Setting.SOC_STATE_CHANGE;
        };
        return settings.enabled(setting);
    }

    /** Runs on the worker thread. */
    private void handle(Change change) {
        try {
            Instant now = clock.instant();
            if (now.isAfter(windowStart.plus(window))) {
                sendDigest();
                windowStart = now;
                sentInWindow = 0;
            }
            if (sentInWindow < (Integer) settings.get(Setting.SOC_BURST_LIMIT)) {
                sentInWindow++;
                sendSingle(change);
                return;
            }
            pendingCount++;
            if (pending.size() < DIGEST_LINES) {
                pending.add(line(change, now));
            }
            if (flush == null) {
                long delay = Math.max(
                        0, Duration.between(now, windowStart.plus(window)).toMillis());
                flush = worker.schedule(this::endOfWindow, delay, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            logger.warn("SOC notice about incident {} failed: {}", change.incidentId(), e.toString());
        }
    }

    private void endOfWindow() {
        try {
            sendDigest();
            windowStart = clock.instant();
            sentInWindow = 0;
        } catch (RuntimeException e) {
            logger.warn("SOC digest failed: {}", e.toString());
        }
    }

    private void sendSingle(Change change) {
        IncidentService engine = incidents;
        Optional<Incident> incident = engine == null ? Optional.empty() : engine.get(change.incidentId());
        if (incident.isEmpty()) {
            return;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("incident", Models.incident(incident.get()));
        model.put("change", MailText.line(change.detail()));
        String kind = switch (change.kind()) {
            case NEW_INCIDENT -> "soc-new-incident";
            case NEW_ALERT -> "soc-new-alert";
            case STATE_CHANGE -> "soc-state-change";
        };
        send(kind, model, change.incidentId());
    }

    private void sendDigest() {
        if (flush != null) {
            flush.cancel(false);
            flush = null;
        }
        if (pendingCount == 0) {
            return;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("changes", List.copyOf(pending));
        model.put("count", String.valueOf(pendingCount));
        long omitted = pendingCount - pending.size();
        model.put("omitted", omitted > 0 ? String.valueOf(omitted) : "");
        model.put("since", Models.date(windowStart));
        pending.clear();
        pendingCount = 0;
        send("soc-digest", model, null);
    }

    private void send(String kind, Map<String, Object> model, Long incidentId) {
        List<String> recipients = settings.socRecipients();
        if (recipients.isEmpty()) {
            return;
        }
        Optional<TemplateSet.Template> template = templates.resolve(SET, kind);
        if (template.isEmpty()) {
            logger.warn("SOC notice not sent: template {}/{} does not exist", SET, kind);
            return;
        }
        TemplateEngine.Rendered rendered = TemplateEngine.render(template.get(), model, settings.subjectPrefix());
        String to = String.join(",", recipients);
        Map<String, String> parameters = NotificationServiceImpl.message(to, rendered);
        queue.enqueue(NotificationService.JOB_TYPE, incidentId, to, parameters, 0, ACTOR);
    }

    private static Map<String, Object> line(Change change, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("incident_id", String.valueOf(change.incidentId()));
        m.put("kind", change.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        m.put("detail", MailText.line(change.detail()));
        m.put("at", Models.date(at));
        return m;
    }
}
