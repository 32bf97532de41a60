package org.sluice.rules;

import java.util.List;

/** A ruleset that cannot be loaded, with every problem found in it, each naming where it is. */
public class RulesetException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    public RulesetException(String origin, List<Problem> problems) {
        super(origin + ": "
                + String.join("; ", problems.stream().map(Problem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * One problem.
     *
     * @param line the line in the file (1-based), or 0 when the whole file is concerned
     * @param ruleId the rule concerned, or {@code null}
     * @param message what is wrong
     */
    public record Problem(int line, String ruleId, String message) {
        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "") + (ruleId != null ? "rule " + ruleId + ": " : "") + message;
        }
    }
}
