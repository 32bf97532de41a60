package org.sluice.core.internal.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.notify.NotificationService;
import org.sluice.api.notify.TemplateService;
import org.sluice.api.notify.TemplateSet;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.db.Json;

/**
 * Renders notices to end users and queues them. A notice is rendered once, when the action is taken, so that a
 * template edited later does not change what a queued notice says, and queued as a {@link #JOB_TYPE} job whose
 * parameters carry the finished message.
 *
 * <p>Abuse feedback to a reporter carries the report's key in its job parameters; a report handed in again finds the
 * job of its first submission (by incident, reporter and key) and queues nothing. Two submissions of the same report
 * at the very same moment could both queue one; the intake does not do that for one report.
 */
@Component(service = NotificationService.class)
public class NotificationServiceImpl implements NotificationService {

    /** The template set used when a caller names none. */
    static final String DEFAULT_SET = "default";

    private final Logger logger = LoggerFactory.getLogger(NotificationServiceImpl.class);
    private final TemplateService templates;
    private final ResponseQueue queue;
    private final SettingsService settings;
    private final Database database;

    @Activate
    public NotificationServiceImpl(
            @Reference TemplateService templates,
            @Reference ResponseQueue queue,
            @Reference SettingsService settings,
            @Reference Database database) {
        this.templates = templates;
        this.queue = queue;
        this.settings = settings;
        this.database = database;
    }

    @Override
    public Optional<ResponseJob> notifyReporter(Feedback feedback, Actor actor) {
        String address;
        try {
            address = checkAddress(feedback.reporter(), 0);
        } catch (ValidationException e) {
            throw new ValidationException("reporter", "'" + MailText.line(feedback.reporter()) + "' is not an address");
        }
        String kind = "abuse-feedback-" + feedback.disposition();
        if (Placeholders.of(kind).isEmpty()) {
            throw new ValidationException("disposition", "no abuse feedback template kind " + kind);
        }
        String setId = feedback.setId() == null || feedback.setId().isBlank() ? DEFAULT_SET : feedback.setId();
        Optional<TemplateSet.Template> found = templates.resolve(setId, kind);
        if (found.isEmpty() && !setId.equals(DEFAULT_SET)) {
            logger.warn("Template set {} has no {} template; the abuse feedback uses the default set", setId, kind);
            setId = DEFAULT_SET;
            found = templates.resolve(setId, kind);
        }
        String usedSet = setId;
        TemplateSet.Template template =
                found.orElseThrow(() -> new NotFoundException("template", usedSet + "/" + kind));
        if (queuedBefore(feedback.incidentId(), address, feedback.reportKey())) {
            logger.info(
                    "Abuse feedback for report {} on incident {} was queued before; not again",
                    feedback.reportKey(),
                    feedback.incidentId());
            return Optional.empty();
        }
        Map<String, Object> model = Models.userNotice(
                Action.ABUSE_FEEDBACK, address, null, List.of(feedback.message()), List.of(feedback.incidentId()));
        model.put("disposition", Map.of("name", feedback.disposition().replace('-', ' ')));
        TemplateEngine.Rendered rendered = TemplateEngine.render(template, model, settings.subjectPrefix());
        Map<String, String> parameters = message(address, rendered);
        parameters.put(NotifyResponseType.TEMPLATE, usedSet + "/" + kind);
        parameters.put(NotifyResponseType.ACTION, "abuse-feedback");
        parameters.put(NotifyResponseType.INCIDENTS, String.valueOf(feedback.incidentId()));
        parameters.put(NotifyResponseType.REPORT, feedback.reportKey());
        ResponseJob job = queue.enqueue(JOB_TYPE, feedback.incidentId(), address, parameters, 0, actor);
        logger.info(
                "Queued abuse feedback job {} with template {}/{} for incident {}",
                job.id(),
                usedSet,
                kind,
                feedback.incidentId());
        return Optional.of(job);
    }

    /** Whether a notification job for this incident and address already carries the report key. */
    private boolean queuedBefore(long incidentId, String address, String reportKey) {
        List<String> rows = database.inTransaction(em -> em.createQuery(
                        "SELECT j.parametersJson FROM ResponseJobEntity j"
                                + " WHERE j.typeName = :type AND j.incidentId = :incident AND j.target = :target",
                        String.class)
                .setParameter("type", JOB_TYPE)
                .setParameter("incident", incidentId)
                .setParameter("target", address)
                .getResultList());
        for (String row : rows) {
            if (row != null && reportKey.equals(Json.readStrings(row).get(NotifyResponseType.REPORT))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ResponseJob> notifyUsers(Notice notice, Actor actor) {
        String setId = notice.template() == null || notice.template().setId() == null
                ? DEFAULT_SET
                : notice.template().setId();
        String kind = notice.template() == null || notice.template().kind() == null
                ? notice.action().defaultKind()
                : notice.template().kind();
        TemplateSet.Template template =
                templates.resolve(setId, kind).orElseThrow(() -> new NotFoundException("template", setId + "/" + kind));

        // One notice per address, listing every message of that user.
        Map<String, Recipient> byAddress = new LinkedHashMap<>();
        for (int i = 0; i < notice.recipients().size(); i++) {
            Recipient r = notice.recipients().get(i);
            String address = checkAddress(r.address(), i);
            if (r.messages().isEmpty()) {
                throw new ValidationException("recipients[" + i + "].messages", "must list at least one message");
            }
            byAddress.merge(
                    address.toLowerCase(Locale.ROOT), new Recipient(address, r.name(), r.messages()), (a, b) -> {
                        List<AffectedMessage> all = new ArrayList<>(a.messages());
                        all.addAll(b.messages());
                        return new Recipient(a.address(), a.name() != null ? a.name() : b.name(), all);
                    });
        }

        String prefix = settings.subjectPrefix();
        List<Prepared> prepared = new ArrayList<>();
        for (Recipient r : byAddress.values()) {
            List<Long> incidents = r.messages().stream()
                    .map(AffectedMessage::incidentId)
                    .distinct()
                    .toList();
            Map<String, Object> model =
                    Models.userNotice(notice.action(), r.address(), r.name(), r.messages(), notice.incidentIds());
            TemplateEngine.Rendered rendered = TemplateEngine.render(template, model, prefix);
            prepared.add(new Prepared(r.address(), incidents, rendered));
        }

        List<ResponseJob> jobs = new ArrayList<>();
        for (Prepared p : prepared) {
            Map<String, String> parameters = message(p.address(), p.rendered());
            parameters.put(NotifyResponseType.TEMPLATE, setId + "/" + kind);
            parameters.put(NotifyResponseType.ACTION, notice.action().name().toLowerCase(Locale.ROOT));
            parameters.put(
                    NotifyResponseType.INCIDENTS,
                    p.incidents().stream().map(String::valueOf).collect(Collectors.joining(",")));
            Long incident = p.incidents().isEmpty() ? null : p.incidents().get(0);
            jobs.add(queue.enqueue(JOB_TYPE, incident, p.address(), parameters, 0, actor));
        }
        logger.info(
                "Queued {} {} notice(s) with template {}/{} for {} incident(s)",
                jobs.size(),
                notice.action().name().toLowerCase(Locale.ROOT),
                setId,
                kind,
                notice.incidentIds().size());
        return jobs;
    }

    /** The parameters of a notification job that carry the rendered message, with a fresh Message-ID. */
    static Map<String, String> message(String to, TemplateEngine.Rendered rendered) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put(NotifyResponseType.TO, to);
        parameters.put(NotifyResponseType.SUBJECT, rendered.subject());
        parameters.put(NotifyResponseType.TEXT, rendered.text());
        if (rendered.html() != null) {
            parameters.put(NotifyResponseType.HTML, rendered.html());
        }
        parameters.put(NotifyResponseType.MESSAGE_ID, UUID.randomUUID() + "@notify.sluice.invalid");
        return parameters;
    }

    private static String checkAddress(String address, int index) {
        try {
            @SuppressWarnings("unchecked")
            List<String> checked = (List<String>) Setting.SOC_RECIPIENTS.normalize(List.of(address));
            return checked.get(0);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("recipients[" + index + "].address", e.getMessage());
        }
    }

    private record Prepared(String address, List<Long> incidents, TemplateEngine.Rendered rendered) {}
}
