package org.sluice.rules.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.sluice.api.clear.Disposition;
import org.sluice.api.incident.Severity;
import org.sluice.rules.Rule;
import org.sluice.rules.Ruleset;
import org.sluice.rules.RulesetException;
import org.sluice.rules.RulesetException.Problem;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a ruleset file and checks all of it before anything is used: the YAML shape, every key (an unknown key is a
 * typo, not something to ignore), ids, severities, dispositions, and every condition compiled. All problems are
 * reported at once, each with its line.
 */
final class RulesetParser {

    /** Ruleset files larger than this are refused unread. */
    static final int MAX_BYTES = 1 << 20;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
    private static final Set<String> TOP_KEYS = Set.of("ruleset", "version", "description", "rules");
    private static final Set<String> RULE_KEYS =
            Set.of("id", "name", "description", "severity", "disposition", "condition");

    private final RuleLanguage language;

    RulesetParser(RuleLanguage language) {
        this.language = language;
    }

    Ruleset parse(String origin, InputStream in) throws RulesetException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new RulesetException(origin, List.of(new Problem(0, null, "cannot be read: " + e.getMessage())));
        }
        if (bytes.length > MAX_BYTES) {
            throw new RulesetException(origin, List.of(new Problem(0, null, "larger than " + MAX_BYTES + " bytes")));
        }
        Node root = compose(origin, bytes);
        List<Problem> problems = new ArrayList<>();
        if (!(root instanceof MappingNode top)) {
            throw new RulesetException(
                    origin, List.of(new Problem(line(root), null, "expected a mapping with ruleset, version, rules")));
        }
        Map<String, Node> fields = fields(top, TOP_KEYS, null, problems);
        String name = text(fields, "ruleset", null, top, problems, true);
        String version = text(fields, "version", null, top, problems, true);
        if (name != null && !ID.matcher(name).matches()) {
            problems.add(new Problem(
                    line(fields.get("ruleset")),
                    null,
                    "ruleset name '" + name + "' must be lower-case letters, digits, dashes"));
        }
        List<Rule> rules = new ArrayList<>();
        Node list = fields.get("rules");
        if (list == null) {
            problems.add(new Problem(line(top), null, "missing 'rules'"));
        } else if (!(list instanceof SequenceNode sequence)) {
            problems.add(new Problem(line(list), null, "'rules' must be a list"));
        } else {
            Set<String> ids = new HashSet<>();
            for (Node item : sequence.getValue()) {
                Rule rule = rule(item, problems);
                if (rule != null && !ids.add(rule.id())) {
                    problems.add(new Problem(rule.line(), rule.id(), "duplicate rule id"));
                } else if (rule != null) {
                    rules.add(rule);
                }
            }
            if (sequence.getValue().isEmpty()) {
                problems.add(new Problem(line(list), null, "'rules' is empty"));
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesetException(origin, problems);
        }
        return new Ruleset(name, version, sha256(bytes), origin, rules);
    }

    private Node compose(String origin, byte[] bytes) throws RulesetException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        try {
            Node node = new Yaml(options)
                    .compose(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
            if (node == null) {
                throw new RulesetException(origin, List.of(new Problem(0, null, "the file is empty")));
            }
            return node;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new RulesetException(origin, List.of(new Problem(line, null, "not valid YAML: " + e.getProblem())));
        } catch (YAMLException e) {
            throw new RulesetException(origin, List.of(new Problem(0, null, "not valid YAML: " + e.getMessage())));
        }
    }

    private Rule rule(Node item, List<Problem> problems) {
        if (!(item instanceof MappingNode mapping)) {
            problems.add(new Problem(line(item), null, "a rule must be a mapping"));
            return null;
        }
        int before = problems.size();
        String declaredId = mapping.getValue().stream()
                .filter(t ->
                        t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("id"))
                .map(NodeTuple::getValueNode)
                .filter(ScalarNode.class::isInstance)
                .map(n -> ((ScalarNode) n).getValue().strip())
                .findFirst()
                .orElse(null);
        Map<String, Node> fields = fields(mapping, RULE_KEYS, declaredId, problems);
        String id = text(fields, "id", null, mapping, problems, true);
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(new Problem(
                    line(fields.get("id")), id, "id must be lower-case letters, digits and dashes, at most 80"));
        }
        String name = text(fields, "name", id, mapping, problems, true);
        String description = text(fields, "description", id, mapping, problems, false);
        String severityText = text(fields, "severity", id, mapping, problems, true);
        String dispositionText = text(fields, "disposition", id, mapping, problems, true);
        String condition = text(fields, "condition", id, mapping, problems, true);
        Severity severity = null;
        if (severityText != null) {
            try {
                severity = Severity.parse(severityText);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(line(fields.get("severity")), id, e.getMessage()));
            }
        }
        Disposition disposition = null;
        if (dispositionText != null) {
            try {
                disposition = Disposition.parse(dispositionText);
                if (disposition == Disposition.UNKNOWN) {
                    problems.add(new Problem(
                            line(fields.get("disposition")), id, "a rule cannot give 'unknown': that is no match"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(line(fields.get("disposition")), id, e.getMessage()));
            }
        }
        if (condition != null) {
            try {
                language.compile(condition);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(line(fields.get("condition")), id, "condition " + e.getMessage()));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new Rule(
                id, name, description == null ? "" : description, severity, disposition, condition, line(mapping));
    }

    private static Map<String, Node> fields(
            MappingNode mapping, Set<String> allowed, String ruleId, List<Problem> problems) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problems.add(new Problem(line(tuple.getKeyNode()), ruleId, "keys must be plain names"));
                continue;
            }
            if (!allowed.contains(key.getValue())) {
                problems.add(new Problem(
                        line(key),
                        ruleId,
                        "unknown key '" + key.getValue() + "' (expected "
                                + String.join(", ", allowed.stream().sorted().toList()) + ")"));
                continue;
            }
            fields.put(key.getValue(), tuple.getValueNode());
        }
        return fields;
    }

    private static String text(
            Map<String, Node> fields, String key, String ruleId, Node owner, List<Problem> problems, boolean required) {
        Node node = fields.get(key);
        if (node == null) {
            if (required) {
                problems.add(new Problem(line(owner), ruleId, "missing '" + key + "'"));
            }
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            problems.add(new Problem(line(node), ruleId, "'" + key + "' must be text"));
            return null;
        }
        String value = scalar.getValue().strip();
        if (value.isEmpty() && required) {
            problems.add(new Problem(line(node), ruleId, "'" + key + "' is empty"));
            return null;
        }
        return value;
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null
                ? 0
                : node.getStartMark().getLine() + 1;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
