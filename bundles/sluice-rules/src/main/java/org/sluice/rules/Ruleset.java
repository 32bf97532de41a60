package org.sluice.rules;

import java.util.List;
import java.util.Objects;

/**
 * A named, versioned list of rules, as loaded from one file.
 *
 * @param name the ruleset's name ({@code default}); one ruleset per name is active
 * @param version the version its author gave it; decisions record it
 * @param digest the SHA-256 of the file's bytes, hex; tells apart two files that claim the same version
 * @param origin where it was loaded from (a file path or {@code bundle:<symbolic name>/<entry>})
 * @param rules the rules, in file order
 */
public record Ruleset(String name, String version, String digest, String origin, List<Rule> rules) {

    public Ruleset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        rules = List.copyOf(rules);
    }

    /** The rule with this id, or {@code null}. */
    public Rule rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }
}
