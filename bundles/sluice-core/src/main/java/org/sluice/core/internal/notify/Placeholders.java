package org.sluice.core.internal.notify;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.sluice.api.error.ValidationException;

/**
 * The placeholders each template kind's model has, and a check of a template's tags against them. Mustache itself
 * renders an unknown name as empty text and an unclosed {@code {{} as literal text; an admin's typo would go out
 * unnoticed in every notice, so edits are refused instead, naming the part, line and column.
 *
 * <p>Names resolve the way Mustache resolves them: the first segment in the innermost open section that has it, then
 * outwards; further segments inside that value. Inside a section over a list, {@code .} and {@code this} name the
 * item.
 */
final class Placeholders {

    /** One value of a model: a leaf (string or flag), a map with fields, or a list whose items have fields. */
    record Node(boolean list, Map<String, Node> fields) {
        static final Node LEAF = new Node(false, Map.of());

        static Node map(Map<String, Node> fields) {
            return new Node(false, fields);
        }

        static Node listOf(Map<String, Node> item) {
            return new Node(true, item);
        }
    }

    /** The kinds Sluice renders; a copy to any other kind would never be used. */
    static final List<String> KINDS = List.of(
            "quarantine",
            "undo-quarantine",
            "abuse-feedback-malicious",
            "abuse-feedback-suspicious",
            "abuse-feedback-bulk",
            "abuse-feedback-low-risk",
            "abuse-feedback-unknown",
            "soc-new-incident",
            "soc-new-alert",
            "soc-state-change",
            "soc-digest");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private static final Node USER_NOTICE = userNotice();
    private static final Node SOC = soc();
    private static final Node DIGEST = digest();

    private Placeholders() {}

    /** The model of a kind, or empty for a kind Sluice does not render. */
    static Optional<Node> of(String kind) {
        if (kind == null || !KINDS.contains(kind)) {
            return Optional.empty();
        }
        if (kind.equals("soc-digest")) {
            return Optional.of(DIGEST);
        }
        return Optional.of(kind.startsWith("soc-") ? SOC : USER_NOTICE);
    }

    /**
     * Checks every tag of one part of a template: closed, naming a placeholder of the model, sections properly
     * nested.
     *
     * @throws ValidationException naming the part, the line and column, and the fault
     */
    static void check(String part, String source, Node model) {
        Deque<Node> contexts = new ArrayDeque<>();
        Deque<String> open = new ArrayDeque<>();
        Deque<Integer> openAt = new ArrayDeque<>();
        contexts.push(model);
        int from = 0;
        while (true) {
            int start = source.indexOf("{{", from);
            if (start < 0) {
                break;
            }
            int end = source.indexOf("}}", start + 2);
            if (end < 0) {
                throw fault(part, source, start, "'{{' is never closed with '}}'");
            }
            String tag = source.substring(start + 2, end).strip();
            from = end + 2;
            if (tag.startsWith("!")) {
                continue;
            }
            if (tag.contains("{{")) {
                throw fault(part, source, start, "'{{' is never closed with '}}'");
            }
            char sigil = tag.isEmpty() ? ' ' : tag.charAt(0);
            String name = sigil == '#' || sigil == '^' || sigil == '/'
                    ? tag.substring(1).strip()
                    : tag;
            if (name.isEmpty()) {
                throw fault(part, source, start, "empty tag '{{" + tag + "}}'");
            }
            if (sigil == '/') {
                if (open.isEmpty()) {
                    throw fault(part, source, start, "'{{/" + name + "}}' closes a section that is not open");
                }
                if (!open.peek().equals(name)) {
                    throw fault(
                            part,
                            source,
                            start,
                            "'{{/" + name + "}}' does not close the open section '" + open.peek() + "'");
                }
                open.pop();
                openAt.pop();
                contexts.pop();
                continue;
            }
            Node node = resolve(name, contexts)
                    .orElseThrow(() -> fault(part, source, start, "unknown placeholder '" + shown(name) + "'"));
            if (sigil == '#' || sigil == '^') {
                open.push(name);
                openAt.push(start);
                // A section over a list walks its items; over a map it enters it; over a flag or text it adds nothing.
                // An inverted section renders only when the value is empty or false: it adds nothing either.
                contexts.push(
                        sigil == '#' && (node.list() || !node.fields().isEmpty())
                                ? Node.map(node.fields())
                                : Node.LEAF);
            } else if (node.list() || !node.fields().isEmpty()) {
                throw fault(
                        part,
                        source,
                        start,
                        "'" + name + "' is a " + (node.list() ? "list" : "group") + ", not a value; use a section "
                                + "{{#" + name + "}}...{{/" + name + "}}");
            }
        }
        if (!open.isEmpty()) {
            throw fault(part, source, openAt.peek(), "section '" + open.peek() + "' is never closed");
        }
    }

    /** Refuses any line break or other control character in a subject template. */
    static void checkSubject(String subject) {
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (Character.isISOControl(c)) {
                throw fault(
                        "subject",
                        subject,
                        i,
                        c == '\r' || c == '\n'
                                ? "a line break (CR or LF) is not allowed in a subject"
                                : "control character U+" + String.format("%04X", (int) c) + " is not allowed");
            }
        }
    }

    private static Optional<Node> resolve(String name, Deque<Node> contexts) {
        if (name.equals(".") || name.equals("this")) {
            return Optional.of(Node.LEAF);
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String[] segments = name.split("\\.");
        for (Node context : contexts) {
            Node node = context.fields().get(segments[0]);
            if (node == null) {
                continue;
            }
            for (int i = 1; i < segments.length; i++) {
                node = node.list() ? null : node.fields().get(segments[i]);
                if (node == null) {
                    return Optional.empty();
                }
            }
            return Optional.of(node);
        }
        return Optional.empty();
    }

    private static ValidationException fault(String part, String source, int offset, String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new ValidationException(part, "line " + line + ", column " + column + ": " + what);
    }

    private static String shown(String name) {
        String oneLine = MailText.line(name);
        return oneLine.length() > 60 ? oneLine.substring(0, 60) + "..." : oneLine;
    }

    private static Node userNotice() {
        Map<String, Node> url = Map.of("url", Node.LEAF);
        Map<String, Node> message = new LinkedHashMap<>();
        for (String leaf : List.of("subject", "sender", "date", "incident_id", "has_urls")) {
            message.put(leaf, Node.LEAF);
        }
        message.put("urls", Node.listOf(url));
        Map<String, Node> model = new LinkedHashMap<>();
        model.put("recipient", Node.map(Map.of("address", Node.LEAF, "name", Node.LEAF)));
        model.put(
                "action",
                Node.map(Map.of(
                        "name", Node.LEAF,
                        "quarantine", Node.LEAF,
                        "undo", Node.LEAF,
                        "feedback", Node.LEAF)));
        model.put("disposition", Node.map(Map.of("name", Node.LEAF)));
        model.put("messages", Node.listOf(message));
        model.put("message", Node.map(message));
        model.put("count", Node.LEAF);
        model.put("many", Node.LEAF);
        model.put("incidents", Node.listOf(Map.of("id", Node.LEAF)));
        model.put("incident", Node.map(Map.of("id", Node.LEAF)));
        return Node.map(model);
    }

    private static Node soc() {
        Map<String, Node> incident = new LinkedHashMap<>();
        for (String leaf : List.of("id", "summary", "state", "severity", "alerts")) {
            incident.put(leaf, Node.LEAF);
        }
        return Node.map(Map.of("incident", Node.map(incident), "change", Node.LEAF));
    }

    private static Node digest() {
        Map<String, Node> change = new LinkedHashMap<>();
        for (String leaf : List.of("at", "incident_id", "kind", "detail")) {
            change.put(leaf, Node.LEAF);
        }
        return Node.map(
                Map.of("changes", Node.listOf(change), "count", Node.LEAF, "omitted", Node.LEAF, "since", Node.LEAF));
    }
}
