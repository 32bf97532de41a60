package org.sluice.core.internal.notify;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQueries;
import javax.persistence.NamedQuery;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

/** One stored version of a notification template (an admin's copy or edit). */
@Entity
@Table(name = "notify_template")
@NamedQueries({
    @NamedQuery(
            name = "Template.versions",
            query = "SELECT t FROM TemplateEntity t WHERE t.setId = :set AND t.kind = :kind ORDER BY t.version"),
    @NamedQuery(name = "Template.all", query = "SELECT t FROM TemplateEntity t ORDER BY t.setId, t.kind, t.version"),
    @NamedQuery(
            name = "Template.deleteKind",
            query = "DELETE FROM TemplateEntity t WHERE t.setId = :set AND t.kind = :kind"),
    @NamedQuery(name = "Template.deleteSet", query = "DELETE FROM TemplateEntity t WHERE t.setId = :set")
})
public class TemplateEntity {

    @Id
    @SequenceGenerator(name = "seq_notify_template", sequenceName = "seq_notify_template", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seq_notify_template")
    Long id;

    @Column(name = "set_id", nullable = false)
    String setId;

    @Column(name = "kind", nullable = false)
    String kind;

    @Column(name = "version", nullable = false)
    int version;

    @Column(name = "subject", nullable = false)
    String subject;

    @Column(name = "text_body", nullable = false)
    String text;

    @Column(name = "html_body")
    String html;

    @Column(name = "edited_by", nullable = false)
    String editedBy;

    @Column(name = "edited_at", nullable = false)
    Instant editedAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof TemplateEntity that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return TemplateEntity.class.hashCode();
    }
}
