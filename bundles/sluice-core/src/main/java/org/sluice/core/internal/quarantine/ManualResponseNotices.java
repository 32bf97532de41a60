package org.sluice.core.internal.quarantine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.mail.MessageIds;
import org.sluice.api.notify.NotificationService;
import org.sluice.api.notify.NotificationService.Action;
import org.sluice.api.notify.NotificationService.AffectedMessage;
import org.sluice.api.notify.NotificationService.Notice;
import org.sluice.api.notify.NotificationService.Recipient;
import org.sluice.api.notify.NotificationService.TemplateRef;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.quarantine.QuarantineService.ManualResponse;
import org.sluice.api.quarantine.QuarantineService.QuarantineResult;
import org.sluice.api.security.Actor;
import org.sluice.core.internal.db.Database;

/**
 * Tells the users whose mail a manual quarantine or undo touched (SPEC N2), once the request's whole chain of jobs has
 * ended: each user gets one notice listing all of their messages the request quarantined or put back, in the
 * template the request named ({@code set} or {@code set:kind}). Requests are claimed in the database before their
 * notices are queued, so one node sends them, once; a notice that cannot be queued (an unknown template) is recorded
 * on the request and logged, never retried for ever.
 */
@Component(immediate = true)
public class ManualResponseNotices {

    /** How often finished requests are looked for. */
    static final long SWEEP_SECONDS = 5;

    private final Logger logger = LoggerFactory.getLogger(ManualResponseNotices.class);

    @Reference
    private Database database;

    @Reference
    private QuarantineService quarantine;

    @Reference
    private IncidentService incidents;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NotificationService notifications;

    private ScheduledExecutorService sweeper;

    @Activate
    void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sluice-manual-response-notices");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweepSafely, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void stop() {
        sweeper.shutdownNow();
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            logger.warn("Looking for finished manual responses to notify about failed: {}", e.getMessage(), e);
        }
    }

    /** Queues the notices of every finished request that asked for them and has not had them yet. */
    void sweep() {
        NotificationService service = notifications;
        if (service == null) {
            return;
        }
        List<Long> waiting = database.inTransaction(em -> em.createQuery(
                        "select r.id from ManualResponseEntity r where r.template is not null and r.noticedAt is null"
                                + " order by r.id",
                        Long.class)
                .setMaxResults(100)
                .getResultList());
        for (long id : waiting) {
            Optional<ManualResponse> request = quarantine.request(id);
            if (request.isEmpty() || !request.get().finished() || !claim(id)) {
                continue;
            }
            String outcome;
            try {
                Notice notice = notice(request.get());
                if (notice.recipients().isEmpty()) {
                    outcome = "nobody to tell";
                } else {
                    outcome = service.notifyUsers(notice, Actor.system("manual-response-notices"))
                                    .size() + " notices queued";
                }
            } catch (RuntimeException e) {
                outcome = "not sent: " + e.getMessage();
                logger.warn(
                        "Notices of manual {} request {} not sent: {}",
                        request.get().kind(),
                        id,
                        e.getMessage());
            }
            String recorded = outcome.length() > 500 ? outcome.substring(0, 500) : outcome;
            database.inTransaction(em -> {
                em.find(ManualResponseEntity.class, id).noticeOutcome = recorded;
                return null;
            });
            logger.info("Manual {} request {}: {}", request.get().kind(), id, recorded);
        }
    }

    /** Marks the request as notified unless another node or sweep already did; true when this one may send. */
    private boolean claim(long id) {
        return database.inTransaction(em -> em.createQuery("update ManualResponseEntity r set r.noticedAt = :now"
                                + " where r.id = :id and r.noticedAt is null")
                        .setParameter("now", Instant.now())
                        .setParameter("id", id)
                        .executeUpdate())
                == 1;
    }

    private Notice notice(ManualResponse request) {
        boolean undo = request.kind().equals("undo");
        Map<String, List<AffectedMessage>> byUser = new LinkedHashMap<>();
        for (long incidentId : request.incidentIds()) {
            List<Alert> alerts = incidents.alerts(incidentId);
            for (QuarantineResult result : quarantine.results(incidentId)) {
                boolean touched = undo
                        ? "restored".equals(result.status())
                                && result.undoneAt() != null
                                && !result.undoneAt().isBefore(request.createdAt())
                        : request.jobs().contains(result.jobId()) && "quarantined".equals(result.status());
                if (touched) {
                    byUser.computeIfAbsent(result.mailbox().toLowerCase(Locale.ROOT), m -> new ArrayList<>())
                            .add(message(incidentId, result, alerts));
                }
            }
        }
        List<Recipient> recipients = new ArrayList<>();
        byUser.forEach((address, messages) -> recipients.add(new Recipient(address, null, messages)));
        return new Notice(
                template(request.template()),
                undo ? Action.UNDO : Action.QUARANTINE,
                request.incidentIds(),
                recipients);
    }

    /** A template id names a set, or a set and a kind as {@code set:kind}. */
    static TemplateRef template(String id) {
        int colon = id.indexOf(':');
        return colon < 0 ? new TemplateRef(id, null) : new TemplateRef(id.substring(0, colon), id.substring(colon + 1));
    }

    /** The message as the alert that named it describes it; the Message-ID alone when no alert does. */
    private static AffectedMessage message(long incidentId, QuarantineResult result, List<Alert> alerts) {
        Optional<String> wanted =
                result.messageId() == null ? Optional.empty() : MessageIds.normalize(result.messageId());
        for (Alert alert : alerts) {
            if (!(alert.data() != null && alert.data().get("email") instanceof Map<?, ?> email)) {
                continue;
            }
            Object id = email.get("message_id") != null ? email.get("message_id") : email.get("messageId");
            Optional<String> alertId = id instanceof String text ? MessageIds.normalize(text) : Optional.empty();
            if (wanted.isEmpty() || alertId.equals(wanted)) {
                Object sender = email.get("sender") instanceof Map<?, ?> m ? m.get("email") : email.get("sender");
                return new AffectedMessage(
                        incidentId,
                        email.get("subject") instanceof String s ? s : null,
                        sender instanceof String s ? s : null,
                        alert.occurredAt(),
                        List.of());
            }
        }
        return new AffectedMessage(incidentId, null, null, null, List.of());
    }
}
