package org.sluice.api.notify;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named set of notification templates (Quarantine, Undo-Quarantine, Abuse Feedback per disposition, SOC), provided
 * as a plugin bundle. Templates are logic-less: rendering one can never run code.
 */
@ConsumerType
public interface TemplateSet {

    /** The stable id of the set ({@code default}). */
    String id();

    /** The templates by kind ({@code quarantine}, {@code undo-quarantine}, {@code soc-new-incident}, ...). */
    Map<String, Template> templates();

    /**
     * One template. Subjects carry no product prefix; the core adds the configured prefix.
     *
     * @param subject the subject template
     * @param text the plain-text body template
     * @param html the HTML body template, or {@code null}
     */
    record Template(String subject, String text, String html) {}
}
