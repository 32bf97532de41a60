package org.sluice.rules.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.jexl3.JexlExpression;
import org.sluice.api.clear.Disposition;
import org.sluice.rules.Rule;
import org.sluice.rules.Ruleset;
import org.sluice.rules.Verdict;

/**
 * Runs every rule of a ruleset over one message's facts and combines the matches: the highest-ranking disposition
 * among them wins ({@link Disposition#outranks}), decided by the first matching rule of that disposition in file order.
 * A rule that fails on a message (a regular expression out of time, a fact of an unexpected type) is recorded and
 * counts as not matching; the others still decide.
 */
final class Evaluator {

    private final RuleLanguage language;
    private final Map<String, List<String>> defaultLists;

    Evaluator(RuleLanguage language, Map<String, List<String>> defaultLists) {
        this.language = language;
        this.defaultLists = Map.copyOf(defaultLists);
    }

    Verdict evaluate(Ruleset ruleset, Map<String, Object> facts) {
        Map<String, Object> withLists = new HashMap<>(facts);
        withLists.put("lists", lists(facts.get("lists")));
        List<Verdict.Match> matches = new ArrayList<>();
        List<Verdict.RuleError> errors = new ArrayList<>();
        for (Rule rule : ruleset.rules()) {
            try {
                JexlExpression expression = language.compile(rule.condition());
                if (language.holds(expression, withLists)) {
                    matches.add(new Verdict.Match(rule.id(), rule.name(), rule.disposition()));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                errors.add(new Verdict.RuleError(rule.id(), e.getMessage()));
            }
        }
        Disposition winner = Disposition.UNKNOWN;
        String decidingRule = null;
        for (Verdict.Match match : matches) {
            if (match.disposition().outranks(winner)) {
                winner = match.disposition();
                decidingRule = match.ruleId();
            }
        }
        return new Verdict(winner, decidingRule, ruleset.name(), ruleset.version(), matches, errors);
    }

    /** The shipped named lists, with the caller's lists (internal domains and the like) added or replacing them. */
    private Map<String, Object> lists(Object given) {
        Map<String, Object> lists = new HashMap<>(defaultLists);
        if (given instanceof Map<?, ?> map) {
            map.forEach((key, value) -> lists.put(String.valueOf(key), value));
        }
        return lists;
    }
}
