package org.sluice.rules;

import java.util.List;
import org.sluice.api.clear.Disposition;

/**
 * What a ruleset decided about one message, with enough to explain and reproduce it.
 *
 * @param disposition the winning disposition, {@link Disposition#UNKNOWN} when no rule matched
 * @param ruleId the rule that decided it (the first matching rule of the winning disposition), or {@code null}
 * @param ruleset the name of the ruleset evaluated
 * @param version that ruleset's version
 * @param matches every rule that matched, in file order
 * @param errors rules that could not be evaluated on this message (they count as not matching)
 */
public record Verdict(
        Disposition disposition,
        String ruleId,
        String ruleset,
        String version,
        List<Match> matches,
        List<RuleError> errors) {

    public Verdict {
        matches = List.copyOf(matches);
        errors = List.copyOf(errors);
    }

    /** A rule that matched. */
    public record Match(String ruleId, String name, Disposition disposition) {}

    /** A rule whose evaluation failed on this message, with the reason. */
    public record RuleError(String ruleId, String message) {}

    /** A one-line explanation for the incident's activity and for analysts. */
    public String explanation() {
        if (ruleId == null) {
            return "No rule of ruleset " + ruleset + " " + version + " matched";
        }
        Match decisive = matches.stream()
                .filter(m -> m.ruleId().equals(ruleId))
                .findFirst()
                .orElseThrow();
        StringBuilder text = new StringBuilder(disposition.wireName())
                .append(" by rule ")
                .append(ruleId)
                .append(" (")
                .append(decisive.name())
                .append(") of ruleset ")
                .append(ruleset)
                .append(' ')
                .append(version);
        if (matches.size() > 1) {
            text.append("; also matched: ");
            text.append(String.join(
                    ", ",
                    matches.stream()
                            .filter(m -> !m.ruleId().equals(ruleId))
                            .map(Match::ruleId)
                            .toList()));
        }
        return text.toString();
    }
}
