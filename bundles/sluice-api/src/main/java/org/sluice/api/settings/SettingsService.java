package org.sluice.api.settings;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.security.Actor;

/**
 * The global settings, stored in the database so that every node sees the same values. Reads are cheap (cached for a
 * few seconds per node); an update is validated as a whole and applied all-or-nothing, and every changed value is
 * audited.
 */
@ProviderType
public interface SettingsService {

    /** The current value of a setting, or its default. */
    Object get(Setting setting);

    /** Every setting by key, defaults included. */
    Map<String, Object> all();

    /**
     * Changes several settings at once.
     *
     * @param changes values by key
     * @throws org.sluice.api.error.ValidationException for an unknown key or a bad value, naming it; nothing is stored
     */
    Map<String, Object> update(Map<String, Object> changes, Actor actor);

    default int quarantineMaxAttempts() {
        return (Integer) get(Setting.QUARANTINE_MAX_ATTEMPTS);
    }

    @SuppressWarnings("unchecked")
    default List<String> internalDomains() {
        return (List<String>) get(Setting.INTERNAL_DOMAINS);
    }

    @SuppressWarnings("unchecked")
    default List<String> prioritizedHeaders() {
        return (List<String>) get(Setting.PRIORITIZED_HEADERS);
    }

    default String subjectPrefix() {
        return (String) get(Setting.SUBJECT_PREFIX);
    }

    @SuppressWarnings("unchecked")
    default List<String> socRecipients() {
        return (List<String>) get(Setting.SOC_RECIPIENTS);
    }

    /** Whether a boolean setting is on. */
    default boolean enabled(Setting setting) {
        return Boolean.TRUE.equals(get(setting));
    }
}
