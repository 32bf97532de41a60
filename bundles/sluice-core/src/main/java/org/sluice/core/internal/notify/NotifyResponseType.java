package org.sluice.core.internal.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.fault.CrashPoints;
import org.sluice.api.notify.NotificationService;
import org.sluice.api.notify.Notifier;
import org.sluice.api.notify.OutgoingMessage;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseRequest;
import org.sluice.api.response.ResponseType;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.incident.Activities;

/**
 * Sends a queued notification through the notifier plugin it names ({@code smtp} unless the job says otherwise);
 * registered only while some notifier is installed.
 * The message was rendered when it was queued; the Message-ID in the job's parameters stays the same on every attempt,
 * so the one duplicate a crash between sending and recording can cause carries the same Message-ID. After a notice
 * to a user was sent, each incident it concerns gets a {@code user_notified} activity entry naming the user and the
 * template (SPEC N4).
 */
@Component(service = ResponseType.class, property = ResponseType.TYPE_PROPERTY + "=" + NotificationService.JOB_TYPE)
public class NotifyResponseType implements ResponseType {

    static final String TO = "to";
    static final String SUBJECT = "subject";
    static final String TEXT = "text";
    static final String HTML = "html";
    static final String MESSAGE_ID = "message_id";
    static final String TEMPLATE = "template";
    static final String ACTION = "action";
    static final String INCIDENTS = "incidents";
    static final String NOTIFIER = "notifier";
    /** The report an abuse feedback answers (its key), so that the report handed in again is not answered twice. */
    static final String REPORT = "report";

    /** The activity kind recorded after a notice to a user was sent. */
    static final String ACTIVITY_KIND = "user_notified";

    private static final Duration NO_NOTIFIER_WAIT = Duration.ofMinutes(1);

    private final Logger logger = LoggerFactory.getLogger(NotifyResponseType.class);
    private final Database database;
    private final Clock clock = Clock.systemUTC();

    /*
     * Notifiers are tracked here rather than looked up in the plugin registry: the registry tracks response types,
     * this among them, and a reference back to it would make a cycle. At least one is needed: while no notifier is
     * installed this response type is not registered, so notification jobs wait in the queue untouched, without
     * spending attempts, like any job whose plugin is absent.
     */
    @Reference(
            cardinality = ReferenceCardinality.AT_LEAST_ONE,
            policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.UPDATE)
    private final List<Notifier> notifiers = new CopyOnWriteArrayList<>();

    @Activate
    public NotifyResponseType(@Reference Database database) {
        this.database = database;
    }

    @Override
    public String type() {
        return NotificationService.JOB_TYPE;
    }

    @Override
    public ResponseOutcome execute(ResponseRequest request) throws Exception {
        Map<String, String> p = request.parameters();
        String notifierType = p.getOrDefault(NOTIFIER, "smtp");
        Optional<Notifier> notifier =
                notifiers.stream().filter(n -> notifierType.equals(n.type())).findFirst();
        if (notifier.isEmpty()) {
            return ResponseOutcome.retryable(
                    "notifier_absent", "no notifier '" + notifierType + "' is installed", NO_NOTIFIER_WAIT);
        }
        if (p.get(TO) == null || p.get(SUBJECT) == null || p.get(TEXT) == null || p.get(MESSAGE_ID) == null) {
            return ResponseOutcome.permanentFailure(null, "the job does not carry a rendered message");
        }
        List<String> to = List.of(p.get(TO).split(","));
        OutgoingMessage message = new OutgoingMessage(
                request.jobId() + "." + p.get(MESSAGE_ID), null, to, p.get(SUBJECT), p.get(TEXT), p.get(HTML));
        // Crash tests stop here: rendered and claimed, not sent (no mail may be lost), and sent but not yet recorded
        // (the one duplicate that may follow carries the same Message-ID).
        CrashPoints.reach("notify.before-send");
        ResponseOutcome outcome = notifier.get().send(message);
        CrashPoints.reach("notify.after-send");
        if (outcome.succeeded() && p.get(TEMPLATE) != null && p.get(INCIDENTS) != null) {
            recordNotified(request, p);
        }
        return outcome;
    }

    private void recordNotified(ResponseRequest request, Map<String, String> p) {
        List<Long> incidents = new ArrayList<>();
        for (String id : p.get(INCIDENTS).split(",")) {
            if (!id.isBlank()) {
                incidents.add(Long.parseLong(id.trim()));
            }
        }
        Instant now = clock.instant();
        String detail = p.get(TO) + " notified of " + p.getOrDefault(ACTION, "response") + " with template "
                + p.get(TEMPLATE) + " (notification job " + request.jobId() + ")";
        try {
            database.inTransaction(em -> {
                for (Long incident : incidents) {
                    Activities.record(em, incident, ACTIVITY_KIND, "notify", detail, now);
                }
                return null;
            });
        } catch (RuntimeException e) {
            // The mail is out; a failed activity entry must not make the queue send it again.
            logger.warn(
                    "Notification job {} was sent but its activity entry failed: {}", request.jobId(), e.toString());
        }
    }
}
