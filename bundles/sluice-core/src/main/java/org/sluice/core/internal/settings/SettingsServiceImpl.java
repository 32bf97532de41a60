package org.sluice.core.internal.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.ValidationException;
import org.sluice.api.security.Actor;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;

/**
 * Settings in the {@code setting} table as JSON values. Each node caches all values for {@link #CACHE_TTL}, so a
 * change made on one node reaches the others within that time; the node that made it sees it at once.
 */
@Component(service = SettingsService.class)
public class SettingsServiceImpl implements SettingsService {

    static final Duration CACHE_TTL = Duration.ofSeconds(5);

    private final Logger logger = LoggerFactory.getLogger(SettingsServiceImpl.class);

    private final Database database;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();

    /** Guarded by {@code this}. */
    private Map<Setting, Object> cache;

    /** Guarded by {@code this}. */
    private Instant cachedAt = Instant.EPOCH;

    @Activate
    public SettingsServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public Object get(Setting setting) {
        return current().get(setting);
    }

    @Override
    public Map<String, Object> all() {
        Map<String, Object> all = new LinkedHashMap<>();
        current().forEach((setting, value) -> all.put(setting.key(), value));
        return all;
    }

    @Override
    public Map<String, Object> update(Map<String, Object> changes, Actor actor) {
        Map<Setting, Object> normalized = new EnumMap<>(Setting.class);
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            Setting setting = Setting.byKey(change.getKey())
                    .orElseThrow(() -> new ValidationException(change.getKey(), "is not a setting"));
            try {
                normalized.put(setting, setting.normalize(change.getValue()));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(setting.key(), e.getMessage());
            }
        }
        database.inTransaction(em -> {
            Instant now = clock.instant();
            for (Map.Entry<Setting, Object> change : normalized.entrySet()) {
                String json = write(change.getValue());
                SettingEntity entity =
                        em.find(SettingEntity.class, change.getKey().key());
                if (entity == null) {
                    entity = new SettingEntity();
                    entity.name = change.getKey().key();
                    em.persist(entity);
                }
                entity.value = json;
                entity.updatedAt = now;
                entity.updatedBy = actor.name();
                String shown = change.getKey().secret() ? write(change.getKey().masked(change.getValue())) : json;
                AuditLogImpl.append(
                        em, actor, "setting.update", "setting", change.getKey().key(), shown, now);
            }
            return null;
        });
        synchronized (this) {
            cachedAt = Instant.EPOCH;
        }
        logger.info(
                "Settings {} changed by '{}'",
                normalized.keySet().stream().map(Setting::key).toList(),
                actor.name());
        return all();
    }

    private synchronized Map<Setting, Object> current() {
        Instant now = clock.instant();
        if (cache == null || cachedAt.plus(CACHE_TTL).isBefore(now)) {
            Map<Setting, Object> loaded = new EnumMap<>(Setting.class);
            for (Setting setting : Setting.values()) {
                loaded.put(setting, setting.defaultValue());
            }
            List<SettingEntity> rows =
                    database.inTransaction(em -> em.createQuery("SELECT s FROM SettingEntity s", SettingEntity.class)
                            .getResultList());
            for (SettingEntity row : rows) {
                Setting.byKey(row.name).ifPresent(setting -> loaded.put(setting, read(setting, row.value)));
            }
            cache = loaded;
            cachedAt = now;
        }
        return cache;
    }

    private Object read(Setting setting, String json) {
        try {
            return setting.normalize(mapper.readValue(json, Object.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            logger.warn(
                    "Stored value of setting '{}' is unusable ({}); using its default", setting.key(), e.getMessage());
            return setting.defaultValue();
        }
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a setting value cannot be written as JSON", e);
        }
    }
}
