package org.sluice.core.internal.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import javax.persistence.TypedQuery;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Activity;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.incident.Comment;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentQuery;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentState;
import org.sluice.api.incident.IncidentUser;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Page;
import org.sluice.api.mail.MessageIds;
import org.sluice.api.security.Actor;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.db.Json;

/**
 * The incident engine on JPA.
 *
 * <p>Linking is race-free through the database: an open incident holds the hash of its link key in a column with a
 * unique constraint. Two transactions that both find no open incident both try to insert one; the database lets one
 * commit and fails the other with a constraint violation, which is retried and then finds the winner. This holds
 * across threads and across nodes sharing one database.
 */
@Component(service = IncidentService.class)
public class IncidentServiceImpl implements IncidentService {

    private static final int LINK_RETRIES = 8;
    private static final int MAX_SUMMARY = 1_000;

    private final Logger logger = LoggerFactory.getLogger(IncidentServiceImpl.class);

    private final Database database;
    private final Clock clock = Clock.systemUTC();

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.UPDATE)
    private final List<IncidentChangeListener> listeners = new CopyOnWriteArrayList<>();

    @Activate
    public IncidentServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public AlertReceipt submitAlert(NewAlert alert, Actor actor) {
        if (alert.linkKey() != null && alert.linkKey().length() > LinkKeys.MAX_LENGTH) {
            throw new ValidationException("link_key", "is longer than " + LinkKeys.MAX_LENGTH + " characters");
        }
        PersistenceException last = null;
        for (int attempt = 1; attempt <= LINK_RETRIES; attempt++) {
            try {
                Linked linked = database.inTransaction(em -> link(em, alert, actor));
                if (linked.fresh()) {
                    AlertReceipt receipt = linked.receipt();
                    tell(
                            receipt.incidentCreated()
                                    ? IncidentChangeListener.Kind.NEW_INCIDENT
                                    : IncidentChangeListener.Kind.NEW_ALERT,
                            receipt.incidentId(),
                            "alert " + receipt.alertId());
                }
                return linked.receipt();
            } catch (PersistenceException e) {
                if (!Database.isConstraintViolation(e)) {
                    throw e;
                }
                // Another transaction opened the incident, or stored this very alert, first: look again.
                logger.debug("Linking alert from '{}' raced (attempt {}), retrying", alert.sourceType(), attempt);
                last = e;
            }
        }
        throw new IllegalStateException("alert could not be linked after " + LINK_RETRIES + " attempts", last);
    }

    /** The outcome of linking: the receipt, and whether the alert is new (not a repeat of a stored one). */
    private record Linked(AlertReceipt receipt, boolean fresh) {}

    private void tell(IncidentChangeListener.Kind kind, long incidentId, String detail) {
        IncidentChangeListener.Change change = new IncidentChangeListener.Change(kind, incidentId, detail);
        for (IncidentChangeListener listener : listeners) {
            try {
                listener.changed(change);
            } catch (RuntimeException e) {
                logger.warn("An incident change listener failed: {}", e.toString());
            }
        }
    }

    private Linked link(EntityManager em, NewAlert alert, Actor actor) {
        if (alert.externalId() != null) {
            List<AlertEntity> known = em.createNamedQuery("Alert.byExternalId", AlertEntity.class)
                    .setParameter("source", alert.sourceType())
                    .setParameter("external", alert.externalId())
                    .getResultList();
            if (!known.isEmpty()) {
                AlertEntity existing = known.get(0);
                return new Linked(new AlertReceipt(existing.id, existing.incidentId, false), false);
            }
        }

        Instant now = clock.instant();
        String hash = alert.linkKey() == null ? null : LinkKeys.hash(alert.linkKey());
        IncidentEntity incident = hash == null
                ? null
                : em.createNamedQuery("Incident.openByLinkHash", IncidentEntity.class)
                        .setParameter("hash", hash)
                        .getResultStream()
                        .findFirst()
                        .orElse(null);
        boolean created = incident == null;
        if (created) {
            incident = new IncidentEntity();
            incident.summary = truncate(alert.summary());
            incident.description = alert.description();
            incident.state = IncidentState.NEW;
            incident.severity = alert.severity();
            incident.linkKey = alert.linkKey();
            incident.openLinkHash = hash;
            incident.sourceType = alert.sourceType();
            incident.createdAt = now;
            incident.updatedAt = now;
            em.persist(incident);
            em.flush();
        } else {
            // Row lock: joiners of one incident queue up here instead of overwriting each other's severity.
            em.lock(incident, LockModeType.PESSIMISTIC_WRITE);
            em.refresh(incident);
            incident.severity = incident.severity.atLeast(alert.severity());
            incident.updatedAt = now;
        }

        AlertEntity entity = new AlertEntity();
        entity.incidentId = incident.id;
        entity.sourceType = alert.sourceType();
        entity.sourceInstance = alert.sourceInstance();
        entity.externalId = alert.externalId();
        entity.severity = alert.severity();
        entity.summary = truncate(alert.summary());
        entity.description = alert.description();
        entity.occurredAt = alert.occurredAt() == null ? now : alert.occurredAt();
        entity.receivedAt = now;
        entity.dataJson = Json.write(alert.data());
        em.persist(entity);
        em.flush();
        alert.messageIds().stream()
                .map(MessageIds::normalize)
                .flatMap(java.util.Optional::stream)
                .distinct()
                .forEach(messageId -> em.persist(AlertMessageIdEntity.of(entity.id, messageId)));

        String kind = created ? "incident_created" : "alert_linked";
        em.persist(ActivityEntity.of(incident.id, kind, actor.name(), "alert " + entity.id, now));
        AuditLogImpl.append(
                em,
                actor,
                "alert.create",
                "alert",
                String.valueOf(entity.id),
                "source " + alert.sourceType() + ", incident " + incident.id,
                now);
        return new Linked(new AlertReceipt(entity.id, incident.id, created), true);
    }

    @Override
    public Page<Incident> find(IncidentQuery query) {
        return database.inTransaction(em -> {
            StringBuilder where = new StringBuilder(" WHERE 1 = 1");
            Map<String, Object> parameters = new HashMap<>();
            if (!query.states().isEmpty()) {
                where.append(" AND i.state IN :states");
                parameters.put("states", List.copyOf(query.states()));
            }
            if (!query.severities().isEmpty()) {
                where.append(" AND i.severity IN :severities");
                parameters.put("severities", List.copyOf(query.severities()));
            }
            bound(where, parameters, "i.sourceType = :source", "source", query.sourceType());
            bound(where, parameters, "i.createdAt >= :createdFrom", "createdFrom", query.createdFrom());
            bound(where, parameters, "i.createdAt < :createdTo", "createdTo", query.createdTo());
            bound(where, parameters, "i.closedAt >= :closedFrom", "closedFrom", query.closedFrom());
            bound(where, parameters, "i.closedAt < :closedTo", "closedTo", query.closedTo());
            if (!query.messageIds().isEmpty()) {
                where.append(" AND EXISTS (SELECT m FROM AlertMessageIdEntity m, AlertEntity a"
                        + " WHERE a.incidentId = i.id AND m.alertId = a.id AND m.messageId IN :messageIds)");
                parameters.put("messageIds", List.copyOf(query.messageIds()));
            }

            TypedQuery<IncidentEntity> select = em.createQuery(
                    "SELECT i FROM IncidentEntity i" + where + " ORDER BY i.createdAt DESC, i.id DESC",
                    IncidentEntity.class);
            TypedQuery<Long> count = em.createQuery("SELECT COUNT(i) FROM IncidentEntity i" + where, Long.class);
            parameters.forEach((name, value) -> {
                select.setParameter(name, value);
                count.setParameter(name, value);
            });
            List<IncidentEntity> rows = select.setFirstResult(query.offset())
                    .setMaxResults(query.limit())
                    .getResultList();
            Map<Long, Integer> alertCounts = alertCounts(em, rows);
            List<Incident> items = rows.stream()
                    .map(row -> toIncident(row, alertCounts.getOrDefault(row.id, 0)))
                    .toList();
            return new Page<>(items, count.getSingleResult(), query.offset(), query.limit());
        });
    }

    private static void bound(
            StringBuilder where, Map<String, Object> parameters, String clause, String name, Object value) {
        if (value != null) {
            where.append(" AND ").append(clause);
            parameters.put(name, value);
        }
    }

    private static Map<Long, Integer> alertCounts(EntityManager em, List<IncidentEntity> incidents) {
        if (incidents.isEmpty()) {
            return Map.of();
        }
        List<Long> ids = incidents.stream().map(i -> i.id).toList();
        return em
                .createNamedQuery("Alert.countByIncidents", Object[].class)
                .setParameter("ids", ids)
                .getResultList()
                .stream()
                .collect(Collectors.toMap(row -> (Long) row[0], row -> ((Number) row[1]).intValue()));
    }

    @Override
    public Optional<Incident> get(long incidentId) {
        return database.inTransaction(em -> Optional.ofNullable(em.find(IncidentEntity.class, incidentId))
                .map(row -> toIncident(row, alertCounts(em, List.of(row)).getOrDefault(row.id, 0))));
    }

    @Override
    public List<Alert> alerts(long incidentId) {
        return database.inTransaction(em -> {
            requireIncident(em, incidentId);
            return em
                    .createNamedQuery("Alert.byIncident", AlertEntity.class)
                    .setParameter("incident", incidentId)
                    .getResultList()
                    .stream()
                    .map(IncidentServiceImpl::toAlert)
                    .toList();
        });
    }

    @Override
    public Optional<Alert> alert(long alertId) {
        return database.inTransaction(
                em -> Optional.ofNullable(em.find(AlertEntity.class, alertId)).map(IncidentServiceImpl::toAlert));
    }

    @Override
    public List<Alert> alertsBySource(String sourceType, Instant receivedFrom, Instant receivedTo, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new ValidationException("limit", "must be between 1 and 10000");
        }
        Instant from = receivedFrom == null ? Instant.EPOCH : receivedFrom;
        Instant to = receivedTo == null ? Instant.parse("9999-12-31T00:00:00Z") : receivedTo;
        return database.inTransaction(em -> em
                .createNamedQuery("Alert.bySource", AlertEntity.class)
                .setParameter("source", sourceType)
                .setParameter("from", from)
                .setParameter("to", to)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(IncidentServiceImpl::toAlert)
                .toList());
    }

    @Override
    public List<Comment> comments(long incidentId) {
        return database.inTransaction(em -> {
            requireIncident(em, incidentId);
            return em
                    .createNamedQuery("Comment.byIncident", CommentEntity.class)
                    .setParameter("incident", incidentId)
                    .getResultList()
                    .stream()
                    .map(c -> new Comment(c.id, c.incidentId, c.author, c.body, c.detail, c.createdAt))
                    .toList();
        });
    }

    @Override
    public List<Activity> activity(long incidentId) {
        return database.inTransaction(em -> {
            requireIncident(em, incidentId);
            return em
                    .createNamedQuery("Activity.byIncident", ActivityEntity.class)
                    .setParameter("incident", incidentId)
                    .getResultList()
                    .stream()
                    .map(a -> new Activity(a.id, a.incidentId, a.kind, a.actor, a.detail, a.at))
                    .toList();
        });
    }

    @Override
    public Comment addComment(long incidentId, String text, String detail, Actor actor) {
        if (text == null || text.isBlank()) {
            throw new ValidationException("comment", "must not be empty");
        }
        return database.inTransaction(em -> {
            IncidentEntity incident = requireIncident(em, incidentId);
            Instant now = clock.instant();
            CommentEntity comment = new CommentEntity();
            comment.incidentId = incidentId;
            comment.author = actor.name();
            comment.body = text;
            comment.detail = detail;
            comment.createdAt = now;
            em.persist(comment);
            incident.updatedAt = now;
            em.flush();
            em.persist(ActivityEntity.of(incidentId, "comment_added", actor.name(), "comment " + comment.id, now));
            AuditLogImpl.append(em, actor, "incident.comment", "incident", String.valueOf(incidentId), null, now);
            return new Comment(comment.id, incidentId, comment.author, comment.body, comment.detail, comment.createdAt);
        });
    }

    @Override
    public Incident close(long incidentId, String summary, String detail, Actor actor) {
        Incident closed = database.inTransaction(em -> closeIn(em, incidentId, summary, detail, actor));
        logger.info("Incident '{}' closed by '{}'", incidentId, actor.name());
        tell(IncidentChangeListener.Kind.STATE_CHANGE, incidentId, "closed");
        return closed;
    }

    @Override
    public List<Incident> closeAll(List<Long> incidentIds, String summary, String detail, Actor actor) {
        if (incidentIds == null || incidentIds.isEmpty()) {
            throw new ValidationException("incidentIds", "must name at least one incident");
        }
        List<Long> sorted = incidentIds.stream().distinct().sorted().toList();
        List<Incident> closed = database.inTransaction(em -> sorted.stream()
                .map(id -> closeIn(em, id, summary, detail, actor))
                .toList());
        logger.info("Incidents {} closed by '{}'", sorted, actor.name());
        sorted.forEach(id -> tell(IncidentChangeListener.Kind.STATE_CHANGE, id, "closed"));
        return closed;
    }

    private Incident closeIn(EntityManager em, long incidentId, String summary, String detail, Actor actor) {
        IncidentEntity incident = lockIncident(em, incidentId);
        if (!incident.state.isOpen()) {
            throw new ConflictException("incident " + incidentId + " is already " + lower(incident.state));
        }
        Instant now = clock.instant();
        IncidentState previous = incident.state;
        incident.state = IncidentState.CLOSED;
        incident.openLinkHash = null;
        incident.closedAt = now;
        incident.closeSummary = summary == null ? null : truncate(summary);
        incident.closeDetail = detail;
        incident.updatedAt = now;
        em.persist(ActivityEntity.of(
                incidentId,
                "closed",
                actor.name(),
                lower(previous) + " -> closed" + (summary == null ? "" : ": " + summary),
                now));
        AuditLogImpl.append(em, actor, "incident.close", "incident", String.valueOf(incidentId), summary, now);
        return toIncident(incident, alertCounts(em, List.of(incident)).getOrDefault(incident.id, 0));
    }

    @Override
    public Incident assign(long incidentId, String team, String assignee, Actor actor) {
        if (team == null || team.isBlank() || assignee == null || assignee.isBlank()) {
            throw new ValidationException(
                    null, "Both team and assignee are required. Team: " + team + ", assignee: " + assignee);
        }
        boolean[] stateChanged = {false};
        Incident assigned = database.inTransaction(em -> {
            IncidentEntity incident = lockIncident(em, incidentId);
            if (team.equals(incident.team) && assignee.equals(incident.assignee)) {
                throw new ConflictException("the previous team and assignee are same, not updating the incident");
            }
            Instant now = clock.instant();
            incident.team = truncate(team);
            incident.assignee = truncate(assignee);
            if (incident.state == IncidentState.NEW || incident.state == IncidentState.OPEN) {
                incident.state = IncidentState.ASSIGNED;
                stateChanged[0] = true;
            }
            incident.updatedAt = now;
            em.persist(ActivityEntity.of(
                    incidentId, "assigned", actor.name(), "team " + team + ", assignee " + assignee, now));
            AuditLogImpl.append(
                    em,
                    actor,
                    "incident.assign",
                    "incident",
                    String.valueOf(incidentId),
                    "team " + team + ", assignee " + assignee,
                    now);
            return toIncident(incident, alertCounts(em, List.of(incident)).getOrDefault(incident.id, 0));
        });
        if (stateChanged[0]) {
            tell(IncidentChangeListener.Kind.STATE_CHANGE, incidentId, "assigned");
        }
        return assigned;
    }

    @Override
    public List<IncidentUser> addUsers(long incidentId, List<IncidentUser> users, Actor actor) {
        for (IncidentUser user : users) {
            if (user.username() == null
                    || user.username().isBlank()
                    || user.username().length() > 255
                    || user.username().chars().anyMatch(Character::isISOControl)) {
                throw new ValidationException("users", "every user name must be 1 to 255 printable characters");
            }
        }
        return database.inTransaction(em -> {
            lockIncident(em, incidentId);
            List<IncidentUserEntity> known = usersOf(em, incidentId);
            Instant now = clock.instant();
            for (IncidentUser user : users) {
                boolean present =
                        known.stream().anyMatch(k -> k.username.equals(user.username()) && k.role == user.role());
                if (!present) {
                    IncidentUserEntity entity = new IncidentUserEntity();
                    entity.incidentId = incidentId;
                    entity.username = user.username();
                    entity.role = user.role();
                    em.persist(entity);
                    known.add(entity);
                    em.persist(ActivityEntity.of(
                            incidentId, "user_added", actor.name(), lower(user.role()) + " " + user.username(), now));
                }
            }
            AuditLogImpl.append(
                    em,
                    actor,
                    "incident.users",
                    "incident",
                    String.valueOf(incidentId),
                    users.size() + " user(s)",
                    now);
            return known.stream().map(u -> new IncidentUser(u.username, u.role)).toList();
        });
    }

    @Override
    public List<IncidentUser> users(long incidentId) {
        return database.inTransaction(em -> {
            requireIncident(em, incidentId);
            return usersOf(em, incidentId).stream()
                    .map(u -> new IncidentUser(u.username, u.role))
                    .toList();
        });
    }

    private static List<IncidentUserEntity> usersOf(EntityManager em, long incidentId) {
        return new java.util.ArrayList<>(em.createNamedQuery("IncidentUser.byIncident", IncidentUserEntity.class)
                .setParameter("incident", incidentId)
                .getResultList());
    }

    @Override
    public Map<String, String> setFields(long incidentId, Map<String, String> values, boolean override, Actor actor) {
        for (Map.Entry<String, String> field : values.entrySet()) {
            if (field.getKey() == null
                    || field.getKey().isBlank()
                    || field.getKey().length() > 128) {
                throw new ValidationException("fields", "field names must be 1 to 128 characters");
            }
            if (field.getValue() != null && field.getValue().length() > 1_000) {
                throw new ValidationException("fields." + field.getKey(), "is longer than 1000 characters");
            }
        }
        return database.inTransaction(em -> {
            lockIncident(em, incidentId);
            Instant now = clock.instant();
            for (Map.Entry<String, String> field : values.entrySet()) {
                IncidentFieldEntity entity =
                        em.find(IncidentFieldEntity.class, new IncidentFieldEntity.Key(incidentId, field.getKey()));
                if (entity == null) {
                    entity = new IncidentFieldEntity();
                    entity.incidentId = incidentId;
                    entity.name = field.getKey();
                    entity.updatedAt = now;
                    em.persist(entity);
                } else if (entity.value != null && !override) {
                    continue;
                }
                entity.value = field.getValue();
                entity.updatedAt = now;
                em.persist(ActivityEntity.of(
                        incidentId, "field_set", actor.name(), field.getKey() + " = " + field.getValue(), now));
            }
            AuditLogImpl.append(
                    em,
                    actor,
                    "incident.fields",
                    "incident",
                    String.valueOf(incidentId),
                    String.join(", ", values.keySet()),
                    now);
            em.flush();
            return fieldsOf(em, incidentId);
        });
    }

    @Override
    public Map<String, String> fields(long incidentId) {
        return database.inTransaction(em -> {
            requireIncident(em, incidentId);
            return fieldsOf(em, incidentId);
        });
    }

    /** The standard fields of the compatible API, in the order it lists them. */
    static final List<String> STANDARD_FIELDS =
            List.of("Classification", "Attack Vector", "Severity", "Abuse Disposition", "Sub Disposition");

    private static Map<String, String> fieldsOf(EntityManager em, long incidentId) {
        Map<String, String> stored = new java.util.TreeMap<>();
        em.createNamedQuery("Field.byIncident", IncidentFieldEntity.class)
                .setParameter("incident", incidentId)
                .getResultList()
                .forEach(f -> stored.put(f.name, f.value));
        Map<String, String> ordered = new java.util.LinkedHashMap<>();
        for (String name : STANDARD_FIELDS) {
            if (stored.containsKey(name)) {
                ordered.put(name, stored.remove(name));
            }
        }
        ordered.putAll(stored);
        return ordered;
    }

    private static IncidentEntity lockIncident(EntityManager em, long incidentId) {
        IncidentEntity incident = requireIncident(em, incidentId);
        em.lock(incident, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(incident);
        return incident;
    }

    @Override
    public Incident updateDescription(long incidentId, String text, boolean append, Actor actor) {
        String value = text == null ? "" : text;
        return database.inTransaction(em -> {
            IncidentEntity incident = lockIncident(em, incidentId);
            Instant now = clock.instant();
            boolean hasText = incident.description != null && !incident.description.isEmpty();
            incident.description = append && hasText ? incident.description + "\n" + value : value;
            incident.updatedAt = now;
            em.persist(ActivityEntity.of(
                    incidentId, "description_changed", actor.name(), append ? "appended" : "replaced", now));
            AuditLogImpl.append(
                    em,
                    actor,
                    "incident.description",
                    "incident",
                    String.valueOf(incidentId),
                    append ? "append" : "overwrite",
                    now);
            return toIncident(incident, alertCounts(em, List.of(incident)).getOrDefault(incident.id, 0));
        });
    }

    private static IncidentEntity requireIncident(EntityManager em, long incidentId) {
        IncidentEntity incident = em.find(IncidentEntity.class, incidentId);
        if (incident == null) {
            throw new NotFoundException("incident", incidentId);
        }
        return incident;
    }

    private static String truncate(String text) {
        return text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    static Incident toIncident(IncidentEntity e, int alertCount) {
        return new Incident(
                e.id,
                e.summary,
                e.description,
                e.state,
                e.severity,
                e.assignee,
                e.team,
                e.linkKey,
                e.sourceType,
                e.createdAt,
                e.updatedAt,
                e.closedAt,
                e.closeSummary,
                e.closeDetail,
                alertCount,
                e.successfulQuarantines,
                e.failedQuarantines);
    }

    private static Alert toAlert(AlertEntity e) {
        Map<String, Object> data = Json.readObject(e.dataJson);
        return new Alert(
                e.id,
                e.incidentId,
                e.sourceType,
                e.sourceInstance,
                e.externalId,
                e.severity,
                e.summary,
                e.description,
                e.occurredAt,
                e.receivedAt,
                data == null ? Map.of() : data);
    }
}
