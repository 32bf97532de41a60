package org.sluice.core.internal.notify;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.notify.TemplateService;
import org.sluice.api.notify.TemplateSet;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;

/**
 * Template sets from plugins overlaid with admins' stored versions. A stored template always wins over the plugin's
 * text for the same set and kind; a set that exists only in the database (an admin's copy) is as usable as a plugin's.
 *
 * <p>Edits and copies are checked before they are stored ({@link TemplateEngine#validate}): syntax, every placeholder
 * against the model of the kind, a one-line subject. Only the kinds Sluice renders ({@link Placeholders#KINDS}) can
 * be created by a copy. An admin's set, or one template of it, can be deleted; a set a plugin ships cannot, and
 * neither can a set that a setting names ({@link Setting#CLEAR_FEEDBACK_TEMPLATE_SET}): the delete is refused rather
 * than leaving the setting pointing at nothing.
 */
@Component(service = TemplateService.class)
public class TemplateServiceImpl implements TemplateService {

    /** Set ids and kinds: lower-case words joined by hyphens. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private static final int MAX_SUBJECT = 1_000;
    private static final int MAX_BODY = 100_000;

    private final Logger logger = LoggerFactory.getLogger(TemplateServiceImpl.class);
    private final Database database;
    private final PluginRegistry plugins;
    private final SettingsService settings;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public TemplateServiceImpl(
            @Reference Database database, @Reference PluginRegistry plugins, @Reference SettingsService settings) {
        this.database = database;
        this.plugins = plugins;
        this.settings = settings;
    }

    @Override
    public List<SetInfo> sets() {
        Map<String, TreeSet<String>> kinds = new TreeMap<>();
        Map<String, Boolean> fromPlugin = new TreeMap<>();
        for (PluginRegistry.PluginInfo info : plugins.plugins()) {
            if (info.kind() == PluginRegistry.Kind.TEMPLATE_SET) {
                plugins.templateSet(info.type()).ifPresent(set -> {
                    kinds.computeIfAbsent(set.id(), k -> new TreeSet<>())
                            .addAll(set.templates().keySet());
                    fromPlugin.put(set.id(), true);
                });
            }
        }
        for (TemplateEntity row : database.inTransaction(
                em -> em.createNamedQuery("Template.all", TemplateEntity.class).getResultList())) {
            kinds.computeIfAbsent(row.setId, k -> new TreeSet<>()).add(row.kind);
        }
        List<SetInfo> out = new ArrayList<>();
        kinds.forEach((id, names) -> out.add(new SetInfo(id, fromPlugin.getOrDefault(id, false), List.copyOf(names))));
        return out;
    }

    @Override
    public StoredTemplate get(String setId, String kind) {
        List<StoredTemplate> versions = history(setId, kind);
        if (!versions.isEmpty()) {
            return versions.get(versions.size() - 1);
        }
        return shipped(setId, kind)
                .map(t -> new StoredTemplate(setId, kind, 0, t, null, null))
                .orElseThrow(() -> new NotFoundException("template", setId + "/" + kind));
    }

    @Override
    public List<StoredTemplate> history(String setId, String kind) {
        return database.inTransaction(em -> versions(em, setId, kind).stream()
                .map(TemplateServiceImpl::toStored)
                .toList());
    }

    @Override
    public Optional<TemplateSet.Template> resolve(String setId, String kind) {
        List<StoredTemplate> versions = history(setId, kind);
        if (!versions.isEmpty()) {
            return Optional.of(versions.get(versions.size() - 1).template());
        }
        return shipped(setId, kind);
    }

    @Override
    public StoredTemplate update(String setId, String kind, TemplateSet.Template template, Actor actor) {
        checkSize(template);
        get(setId, kind);
        TemplateEngine.validate(template, Placeholders.of(kind).orElse(null));
        return store(setId, kind, template, actor, false);
    }

    @Override
    public StoredTemplate copy(String setId, String kind, String toSetId, String toKind, Actor actor) {
        checkName("set", toSetId);
        checkName("kind", toKind);
        if (Placeholders.of(toKind).isEmpty()) {
            throw new ValidationException(
                    "kind",
                    "unknown template kind '" + toKind + "'; known kinds: " + String.join(", ", Placeholders.KINDS));
        }
        TemplateSet.Template source = get(setId, kind).template();
        // The source may use placeholders the target kind's model does not have (a user notice copied to a SOC kind).
        TemplateEngine.validate(source, Placeholders.of(toKind).get());
        if (resolve(toSetId, toKind).isPresent()) {
            throw new ConflictException("template " + toSetId + "/" + toKind + " exists already");
        }
        return store(toSetId, toKind, source, actor, true);
    }

    @Override
    public void delete(String setId, String kind, Actor actor) {
        checkDeletable(setId);
        int deleted = database.inTransaction(em -> {
            int n = em.createNamedQuery("Template.deleteKind")
                    .setParameter("set", setId)
                    .setParameter("kind", kind)
                    .executeUpdate();
            if (n > 0) {
                AuditLogImpl.append(
                        em,
                        actor,
                        "template.delete",
                        "template",
                        setId + "/" + kind,
                        n + " version(s)",
                        clock.instant());
            }
            return n;
        });
        if (deleted == 0) {
            throw new NotFoundException("template", setId + "/" + kind);
        }
        logger.info("Template {}/{} deleted ({} versions) by {}", setId, kind, deleted, actor.name());
    }

    @Override
    public void deleteSet(String setId, Actor actor) {
        checkDeletable(setId);
        int deleted = database.inTransaction(em -> {
            int n = em.createNamedQuery("Template.deleteSet")
                    .setParameter("set", setId)
                    .executeUpdate();
            if (n > 0) {
                AuditLogImpl.append(
                        em, actor, "template.delete_set", "template", setId, n + " version(s)", clock.instant());
            }
            return n;
        });
        if (deleted == 0) {
            throw new NotFoundException("template set", setId);
        }
        logger.info("Template set {} deleted ({} versions) by {}", setId, deleted, actor.name());
    }

    private void checkDeletable(String setId) {
        if (plugins.templateSet(setId).isPresent()) {
            throw new ConflictException("template set " + setId + " is shipped by a plugin and cannot be deleted");
        }
        Object inUse = settings.get(Setting.CLEAR_FEEDBACK_TEMPLATE_SET);
        if (setId.equals(inUse)) {
            throw new ConflictException("template set " + setId + " is in use by the setting "
                    + Setting.CLEAR_FEEDBACK_TEMPLATE_SET.key() + "; change the setting first");
        }
    }

    private StoredTemplate store(String setId, String kind, TemplateSet.Template template, Actor actor, boolean copy) {
        try {
            StoredTemplate stored = database.inTransaction(em -> {
                List<TemplateEntity> versions = versions(em, setId, kind);
                if (copy && !versions.isEmpty()) {
                    throw new ConflictException("template " + setId + "/" + kind + " exists already");
                }
                TemplateEntity row = new TemplateEntity();
                row.setId = setId;
                row.kind = kind;
                row.version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version + 1;
                row.subject = template.subject();
                row.text = template.text();
                row.html = template.html();
                row.editedBy = actor.name();
                row.editedAt = clock.instant();
                em.persist(row);
                em.flush();
                AuditLogImpl.append(
                        em,
                        actor,
                        copy ? "template.copy" : "template.update",
                        "template",
                        setId + "/" + kind,
                        "version " + row.version,
                        row.editedAt);
                return toStored(row);
            });
            logger.info("Template {}/{} version {} stored by {}", setId, kind, stored.version(), actor.name());
            return stored;
        } catch (PersistenceException e) {
            if (Database.isConstraintViolation(e)) {
                throw new ConflictException("template " + setId + "/" + kind + " was changed at the same time; retry");
            }
            throw e;
        }
    }

    private Optional<TemplateSet.Template> shipped(String setId, String kind) {
        return plugins.templateSet(setId).map(set -> set.templates().get(kind));
    }

    private static List<TemplateEntity> versions(EntityManager em, String setId, String kind) {
        return em.createNamedQuery("Template.versions", TemplateEntity.class)
                .setParameter("set", setId)
                .setParameter("kind", kind)
                .getResultList();
    }

    private static StoredTemplate toStored(TemplateEntity row) {
        return new StoredTemplate(
                row.setId,
                row.kind,
                row.version,
                new TemplateSet.Template(row.subject, row.text, row.html),
                row.editedBy,
                row.editedAt);
    }

    private static void checkName(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new ValidationException(field, "must be 1 to 64 lower-case letters, digits and hyphens");
        }
    }

    private static void checkSize(TemplateSet.Template template) {
        if (template.subject() != null && template.subject().length() > MAX_SUBJECT) {
            throw new ValidationException("subject", "must be at most " + MAX_SUBJECT + " characters");
        }
        if (template.text() != null && template.text().length() > MAX_BODY) {
            throw new ValidationException("text", "must be at most " + MAX_BODY + " characters");
        }
        if (template.html() != null && template.html().length() > MAX_BODY) {
            throw new ValidationException("html", "must be at most " + MAX_BODY + " characters");
        }
    }
}
