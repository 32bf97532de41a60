package org.sluice.core.internal.quarantine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.quarantine.RecipientExpander;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.response.ResponseType;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.db.Json;
import org.sluice.core.internal.plugin.IsolatedCalls;

/**
 * Quarantine and undo (SPEC R1, R3, R5, R6). A request becomes queued jobs: one quarantine per message and internal
 * recipient mailbox, of type {@code quarantine:<connector instance>}, and one undo per vaulted copy, of type {@code
 * undo:<instance>}. For every mailbox connector instance present, this component registers those two response types;
 * when the connector goes away they go too, so its jobs wait in the queue untouched until it returns. Mailboxes that
 * no route in {@code mailbox.routes} covers get a job of type {@code quarantine:unrouted}, which fails at once saying
 * so. With no routes configured and exactly one connector instance present, that instance serves every mailbox.
 */
@Component(service = QuarantineService.class, immediate = true)
public class QuarantineServiceImpl implements QuarantineService {

    static final String UNROUTED = "unrouted";
    static final int MAX_INCIDENTS = 500;
    static final int MAX_TEMPLATE = 200;
    static final Duration CONNECTOR_CALL_TIMEOUT = Duration.ofSeconds(20);
    static final Duration EXPANDER_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern TEMPLATE = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final Logger logger = LoggerFactory.getLogger(QuarantineServiceImpl.class);

    private final Database database;
    private final IncidentService incidents;
    private final ResponseQueue queue;
    private final SettingsService settings;
    private final Vault vault;
    private final IsolatedCalls calls = new IsolatedCalls("sluice-mailbox-call-");
    private final QuarantineRunner runner;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(sluice.clock=*)")
    private volatile Clock clock;

    private final List<RecipientExpander> expanders = new CopyOnWriteArrayList<>();

    /** Connector instances by instance id; written by DS bind/unbind. */
    private final Map<String, MailboxConnector> connectors = new ConcurrentHashMap<>();

    /** The response type registrations per connector instance; guarded by {@code this}. */
    private final Map<String, List<ServiceRegistration<ResponseType>>> registrations = new HashMap<>();

    private BundleContext context;
    private ServiceRegistration<ResponseType> unrouted;

    @Activate
    public QuarantineServiceImpl(
            @Reference Database database,
            @Reference IncidentService incidents,
            @Reference ResponseQueue queue,
            @Reference SettingsService settings,
            @Reference RawMailStore rawMail) {
        this.database = database;
        this.incidents = incidents;
        this.queue = queue;
        this.settings = settings;
        this.vault = new Vault(database);
        this.runner = new QuarantineRunner(vault, rawMail, settings, queue, calls, CONNECTOR_CALL_TIMEOUT, this::clock);
    }

    @Activate
    synchronized void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        unrouted = register(
                Vault.QUARANTINE_PREFIX + UNROUTED,
                request -> ResponseOutcome.permanentFailure(
                        "unrouted",
                        "no connector instance serves " + request.target() + "; add it to the mailbox.routes setting"));
        for (MailboxConnector connector : connectors.values()) {
            registerTypes(connector);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        for (List<ServiceRegistration<ResponseType>> list : registrations.values()) {
            list.forEach(QuarantineServiceImpl::unregister);
        }
        registrations.clear();
        unregister(unrouted);
        context = null;
        calls.close();
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addConnector(MailboxConnector connector) {
        String instance = instanceOf(connector);
        if (instance == null) {
            return;
        }
        MailboxConnector previous = connectors.put(instance, connector);
        if (previous != null && previous != connector) {
            logger.warn("Two mailbox connectors claim instance id '{}'; the one registered last is used", instance);
            List<ServiceRegistration<ResponseType>> old = registrations.remove(instance);
            if (old != null) {
                old.forEach(QuarantineServiceImpl::unregister);
            }
        }
        if (context != null) {
            registerTypes(connector);
        }
    }

    synchronized void removeConnector(MailboxConnector connector) {
        String instance = instanceOf(connector);
        if (instance != null && connectors.remove(instance, connector)) {
            List<ServiceRegistration<ResponseType>> list = registrations.remove(instance);
            if (list != null) {
                list.forEach(QuarantineServiceImpl::unregister);
            }
            logger.info("Mailbox connector instance '{}' gone; its quarantines and undos wait for it", instance);
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addExpander(RecipientExpander expander) {
        expanders.add(expander);
    }

    void removeExpander(RecipientExpander expander) {
        expanders.remove(expander);
    }

    private String instanceOf(MailboxConnector connector) {
        IsolatedCalls.Outcome<String> id = calls.call(connector::instanceId, Duration.ofSeconds(5));
        if (!id.ok()
                || id.value().isBlank()
                || id.value().length() > 40
                || id.value().equals(UNROUTED)) {
            logger.warn(
                    "A mailbox connector from '{}' has no usable instance id (1 to 40 characters); ignored",
                    connector.getClass().getName());
            return null;
        }
        return id.value();
    }

    private void registerTypes(MailboxConnector connector) {
        String instance = connector.instanceId();
        if (registrations.containsKey(instance)) {
            return;
        }
        List<ServiceRegistration<ResponseType>> list = new ArrayList<>();
        list.add(register(Vault.QUARANTINE_PREFIX + instance, request -> runner.quarantine(request, connector)));
        list.add(register(Vault.UNDO_PREFIX + instance, request -> runner.undo(request, connector)));
        registrations.put(instance, list);
        logger.info("Mailbox connector instance '{}' ({}) serves quarantines and undos", instance, connector.type());
    }

    private interface Work {
        ResponseOutcome run(org.sluice.api.response.ResponseRequest request) throws Exception;
    }

    private ServiceRegistration<ResponseType> register(String type, Work work) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ResponseType.TYPE_PROPERTY, type);
        return context.registerService(
                ResponseType.class,
                new ResponseType() {
                    @Override
                    public String type() {
                        return type;
                    }

                    @Override
                    public ResponseOutcome execute(org.sluice.api.response.ResponseRequest request) throws Exception {
                        return work.run(request);
                    }
                },
                properties);
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already unregistered when the bundle stopped
        }
    }

    private Clock clock() {
        Clock injected = clock;
        return injected == null ? Clock.systemUTC() : injected;
    }

    // ---- requests ----

    private static List<Long> checkIds(List<Long> incidentIds) {
        if (incidentIds == null || incidentIds.isEmpty() || incidentIds.size() > MAX_INCIDENTS) {
            throw new ValidationException("incident_ids", "must list 1 to " + MAX_INCIDENTS + " incidents");
        }
        List<Long> out = new ArrayList<>(new LinkedHashSet<>(incidentIds));
        if (out.contains(null)) {
            throw new ValidationException("incident_ids", "must not contain null");
        }
        return out;
    }

    private static String checkTemplate(String template) {
        if (template == null || template.isBlank()) {
            return null;
        }
        if (!TEMPLATE.matcher(template).matches()) {
            throw new ValidationException(
                    "template", "must be a template id of letters, digits, '.', '_', ':' or '-' (at most 200)");
        }
        return template;
    }

    @Override
    public ManualResponse quarantine(List<Long> incidentIds, String template, Actor actor) {
        List<Long> ids = checkIds(incidentIds);
        String checkedTemplate = checkTemplate(template);
        Map<Long, List<Alert>> alerts = new LinkedHashMap<>();
        for (Long id : ids) {
            incidents.get(id).orElseThrow(() -> new NotFoundException("incident", id));
            alerts.put(id, incidents.alerts(id));
        }
        List<String> internal = settings.internalDomains();
        @SuppressWarnings("unchecked")
        List<String> routes = (List<String>) settings.get(Setting.MAILBOX_ROUTES);
        long windowMinutes = ((Integer) settings.get(Setting.QUARANTINE_NOT_FOUND_WINDOW)).longValue();
        Instant now = clock().instant();
        String notFoundUntil =
                String.valueOf(now.plus(Duration.ofMinutes(windowMinutes)).toEpochMilli());
        long requestId = newRequest("quarantine", ids, checkedTemplate, actor, now);
        List<Long> jobs = new ArrayList<>();
        for (Map.Entry<Long, List<Alert>> incident : alerts.entrySet()) {
            Set<String> seen = new java.util.HashSet<>();
            for (Alert alert : incident.getValue()) {
                Optional<Map<String, String>> target = Targets.of(alert);
                if (target.isEmpty()) {
                    continue;
                }
                for (Map.Entry<String, String> mailbox :
                        mailboxes(alert, internal).entrySet()) {
                    String key = mailbox.getKey() + "\n" + target.get();
                    if (!seen.add(key)) {
                        continue;
                    }
                    Map<String, String> params = new LinkedHashMap<>(target.get());
                    params.put(QuarantineParams.RECIPIENT_TYPE, mailbox.getValue());
                    params.put(QuarantineParams.ALERT_SOURCE, sourceName(alert));
                    params.put(QuarantineParams.NOT_FOUND_UNTIL, notFoundUntil);
                    params.put(QuarantineParams.REQUEST, String.valueOf(requestId));
                    String instance = Routes.route(mailbox.getKey(), routes)
                            .orElseGet(() -> routes.isEmpty() && connectors.size() == 1
                                    ? connectors.keySet().iterator().next()
                                    : UNROUTED);
                    ResponseJob job = queue.enqueue(
                            Vault.QUARANTINE_PREFIX + instance, incident.getKey(), mailbox.getKey(), params, 0, actor);
                    jobs.add(job.id());
                }
            }
        }
        linkJobs(requestId, jobs);
        logger.info(
                "Quarantine request '{}' by '{}': {} jobs for {} incidents",
                requestId,
                actor.name(),
                jobs.size(),
                ids.size());
        return request(requestId).orElseThrow();
    }

    /** The alert's source as people know it: the payload's {@code source_name} (CLEAR), its instance, its type. */
    private static String sourceName(Alert alert) {
        if (alert.data() != null && alert.data().get("source_name") instanceof String name && !name.isBlank()) {
            return name;
        }
        return alert.sourceInstance() != null ? alert.sourceInstance() : alert.sourceType();
    }

    /** The internal mailboxes an alert's recipients reach, with how each was found. */
    private Map<String, String> mailboxes(Alert alert, List<String> internal) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String address : Recipients.all(alert.data())) {
            if (Recipients.isInternal(address, internal)) {
                out.putIfAbsent(address, "Original Recipient");
            }
            for (RecipientExpander expander : expanders) {
                IsolatedCalls.Outcome<List<RecipientExpander.Expansion>> expanded =
                        calls.call(() -> expander.expand(address), EXPANDER_TIMEOUT);
                if (!expanded.ok()) {
                    logger.warn("A recipient expander could not expand an address: {}", expanded.failure());
                    continue;
                }
                for (RecipientExpander.Expansion expansion : expanded.value()) {
                    String mailbox = expansion.mailbox() == null ? null : Recipients.address(expansion.mailbox());
                    if (mailbox != null && Recipients.isInternal(mailbox, internal)) {
                        out.putIfAbsent(mailbox, expansion.how() == null ? "Distribution List" : expansion.how());
                    }
                }
            }
        }
        return out;
    }

    @Override
    public ManualResponse undo(List<Long> incidentIds, String template, Actor actor) {
        List<Long> ids = checkIds(incidentIds);
        String checkedTemplate = checkTemplate(template);
        for (Long id : ids) {
            incidents.get(id).orElseThrow(() -> new NotFoundException("incident", id));
        }
        Instant now = clock().instant();
        long requestId = newRequest("undo", ids, checkedTemplate, actor, now);
        for (Long id : ids) {
            List<Long> waiting = database.inTransaction(em -> em.createQuery(
                            "SELECT r.id FROM ResponseJobEntity r WHERE r.incidentId = :incident"
                                    + " AND r.typeName LIKE :prefix AND r.state = :state",
                            Long.class)
                    .setParameter("incident", id)
                    .setParameter("prefix", Vault.QUARANTINE_PREFIX + "%")
                    .setParameter("state", JobState.QUEUED)
                    .getResultList());
            for (Long jobId : waiting) {
                try {
                    queue.cancel(jobId, actor);
                } catch (RuntimeException e) {
                    logger.debug("Quarantine job '{}' could not be cancelled for undo: {}", jobId, e.toString());
                }
            }
        }
        List<Long> jobs = new ArrayList<>();
        for (Long id : ids) {
            for (QuarantineEntryEntity entry : vault.byIncident(id)) {
                if (entry.status.equals(QuarantineEntryEntity.QUARANTINED)
                        || entry.status.equals(QuarantineEntryEntity.RESTORING)) {
                    Map<String, String> params = Map.of(
                            QuarantineParams.ENTRY, String.valueOf(entry.id),
                            QuarantineParams.REQUEST, String.valueOf(requestId));
                    jobs.add(queue.enqueue(Vault.UNDO_PREFIX + entry.connector, id, entry.mailbox, params, 0, actor)
                            .id());
                }
            }
        }
        linkJobs(requestId, jobs);
        logger.info(
                "Undo request '{}' by '{}': {} jobs for {} incidents",
                requestId,
                actor.name(),
                jobs.size(),
                ids.size());
        return request(requestId).orElseThrow();
    }

    private long newRequest(String kind, List<Long> ids, String template, Actor actor, Instant now) {
        return database.inTransaction(em -> {
            ManualResponseEntity e = new ManualResponseEntity();
            e.kind = kind;
            e.incidentIds = Json.write(ids);
            e.template = template;
            e.requestedBy = actor.name();
            e.createdAt = now;
            em.persist(e);
            em.flush();
            AuditLogImpl.append(
                    em,
                    actor,
                    "response." + kind,
                    "manual_response",
                    String.valueOf(e.id),
                    "incidents " + ids + (template == null ? "" : ", template " + template),
                    now);
            return e.id;
        });
    }

    private void linkJobs(long requestId, List<Long> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        database.inTransaction(em -> {
            for (Long jobId : jobs) {
                ManualResponseJobEntity link = new ManualResponseJobEntity();
                link.requestId = requestId;
                link.jobId = jobId;
                em.persist(link);
            }
            return null;
        });
    }

    @Override
    public Optional<ManualResponse> request(long requestId) {
        return database.inTransaction(em -> {
            ManualResponseEntity e = em.find(ManualResponseEntity.class, requestId);
            if (e == null) {
                return Optional.empty();
            }
            List<Long> jobs = em.createNamedQuery("ManualResponseJob.byRequest", Long.class)
                    .setParameter("request", requestId)
                    .getResultList();
            Map<JobState, Long> progress = new EnumMap<>(JobState.class);
            for (JobState state : JobState.values()) {
                progress.put(state, 0L);
            }
            for (Object[] row : em.createNamedQuery("ManualResponseJob.progress", Object[].class)
                    .setParameter("request", requestId)
                    .getResultList()) {
                progress.put((JobState) row[0], ((Number) row[1]).longValue());
            }
            List<Long> incidentIds = new ArrayList<>();
            for (Object id : Json.readList(e.incidentIds)) {
                incidentIds.add(((Number) id).longValue());
            }
            return Optional.of(new ManualResponse(
                    e.id, e.kind, incidentIds, e.template, e.requestedBy, e.createdAt, jobs, progress));
        });
    }

    @Override
    public List<QuarantineResult> results(long incidentId) {
        return vault.results(incidentId);
    }

    @Override
    public Counts counts(long incidentId) {
        return vault.counts(incidentId);
    }
}
