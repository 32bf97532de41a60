package org.sluice.rules;

import java.util.Objects;
import org.sluice.api.clear.Disposition;
import org.sluice.api.incident.Severity;

/**
 * One rule of a ruleset: when {@link #condition()} is true of a message's facts, the rule gives its disposition.
 *
 * @param id the stable id decisions record ({@code attachment-executable}); lower-case letters, digits and dashes
 * @param name a short title for analysts
 * @param description why the rule exists and what it looks for
 * @param severity how strongly the rule's author rates a match; orders explanations
 * @param disposition what a match makes of the message; never {@link Disposition#UNKNOWN}
 * @param condition the expression, in the sandboxed rule language
 * @param line the line of the rule in its file, for messages about it
 */
public record Rule(
        String id,
        String name,
        String description,
        Severity severity,
        Disposition disposition,
        String condition,
        int line) {

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(condition, "condition");
    }
}
