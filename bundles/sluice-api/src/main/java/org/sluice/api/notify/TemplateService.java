package org.sluice.api.notify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.security.Actor;

/**
 * The notification templates as admins see them (SPEC N1): the sets that plugin bundles register, and the copies and
 * edits admins made, which are stored in the database with every version kept. Rendering always uses a template's
 * latest stored version, or the plugin's text when it was never edited. Implemented by the core.
 */
@ProviderType
public interface TemplateService {

    /** Every known set: those registered by plugins and those that exist only through admins' copies. */
    List<SetInfo> sets();

    /**
     * The current text of one template.
     *
     * @throws org.sluice.api.error.NotFoundException for an unknown set or kind
     */
    StoredTemplate get(String setId, String kind);

    /** The stored versions of one template, oldest first; empty when it was never edited. */
    List<StoredTemplate> history(String setId, String kind);

    /**
     * Stores a new version of a template after checking its syntax, its placeholders (each must exist in the model
     * of the template's kind) and its subject (one line).
     *
     * @throws org.sluice.api.error.ValidationException naming the part ({@code subject}, {@code text}, {@code html})
     *     and the line and column of a syntax error, an unknown placeholder, an unclosed tag or section, a line break
     *     in the subject, or a construct that is not allowed
     * @throws org.sluice.api.error.NotFoundException for an unknown set or kind
     */
    StoredTemplate update(String setId, String kind, TemplateSet.Template template, Actor actor);

    /**
     * Copies a template to another set and kind (a new set comes into being with its first template). The target
     * kind must be one Sluice renders, and the template must fit its placeholders.
     *
     * @throws org.sluice.api.error.ConflictException when the target exists already
     * @throws org.sluice.api.error.ValidationException for an ill-formed target name, an unknown kind, or a
     *     placeholder the target kind does not have
     */
    StoredTemplate copy(String setId, String kind, String toSetId, String toKind, Actor actor);

    /**
     * Deletes every stored version of one template of an admin's set. Templates of a set that a plugin ships cannot
     * be deleted (edit them instead), nor those of a set that a setting names.
     *
     * @throws org.sluice.api.error.NotFoundException when the set has no such stored template
     * @throws org.sluice.api.error.ConflictException for a plugin's set or a set in use by a setting, naming it
     */
    void delete(String setId, String kind, Actor actor);

    /**
     * Deletes an admin's whole set: every stored version of every kind. The same sets are refused as by {@link
     * #delete(String, String, Actor)}.
     *
     * @throws org.sluice.api.error.NotFoundException when no template is stored for the set
     * @throws org.sluice.api.error.ConflictException for a plugin's set or a set in use by a setting, naming it
     */
    void deleteSet(String setId, Actor actor);

    /** The template to render, if the set and kind exist. */
    Optional<TemplateSet.Template> resolve(String setId, String kind);

    /**
     * One template set.
     *
     * @param id the set id
     * @param plugin whether a plugin bundle registers it now
     * @param kinds its template kinds, sorted
     */
    record SetInfo(String id, boolean plugin, List<String> kinds) {}

    /**
     * One template as stored or shipped.
     *
     * @param version the stored version, or {@code 0} for the text shipped by the plugin
     * @param editedBy who stored this version, or {@code null} for the shipped text
     * @param editedAt when, or {@code null} for the shipped text
     */
    record StoredTemplate(
            String setId, String kind, int version, TemplateSet.Template template, String editedBy, Instant editedAt) {}
}
