package org.sluice.rules;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Evaluates rulesets over the facts of a message. The active ruleset is the one named by the configuration
 * ({@code default} unless changed), taken from {@code etc/sluice/rules} when a file there has that name, else from the
 * bundles that ship rulesets. Files are re-read while the server runs; a broken file is refused with its problems
 * logged and the ruleset it would have replaced stays active.
 */
@ProviderType
public interface RuleEngine {

    /** Evaluates the active ruleset. */
    Verdict evaluate(Map<String, Object> facts);

    /** Evaluates the given ruleset, active or not (a dry run of a candidate). */
    Verdict evaluate(Ruleset ruleset, Map<String, Object> facts);

    /** The active ruleset. */
    Ruleset active();

    /** Every ruleset currently loaded, active or not. */
    List<Ruleset> loaded();

    /** Problems of the files that were refused, by origin; empty when every file loaded. */
    Map<String, RulesetException> refused();

    /**
     * Parses and checks a ruleset without loading it (conditions compiled, names checked against {@link Facts}).
     *
     * @throws RulesetException naming every problem found
     */
    Ruleset parse(String origin, InputStream yaml) throws RulesetException;
}
