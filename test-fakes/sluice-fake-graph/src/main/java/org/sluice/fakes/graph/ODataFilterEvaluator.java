package org.sluice.fakes.graph;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A small OData {@code $filter} evaluator for the fake: comparisons ({@code eq ne gt ge lt le}) of a property path with
 * a string literal ({@code '...'} with {@code ''} for a quote) or a DateTimeOffset, the functions {@code
 * startswith}, {@code endswith} and {@code contains}, {@code and}, {@code or}, {@code not} and parentheses. String
 * comparisons ignore case, as Exchange's do. It understands enough of the language that a filter widened by an
 * unescaped value really does match more, which is what the connector's escaping tests need.
 */
final class ODataFilterEvaluator<T> {

    /** A filter the fake does not understand; answered with 400. */
    static final class FilterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FilterException(String message) {
            super(message);
        }
    }

    private final Function<String, Object> properties;
    private final List<String> tokens;
    private int position;

    private ODataFilterEvaluator(String filter, Function<String, Object> properties) {
        this.tokens = tokenize(filter);
        this.properties = properties;
    }

    /** Compiles {@code filter} into a predicate; {@code lookup} gives a property of an item by its path. */
    static <T> Predicate<T> compile(String filter, java.util.function.BiFunction<T, String, Object> lookup) {
        tokenize(filter);
        return item -> {
            ODataFilterEvaluator<T> evaluator = new ODataFilterEvaluator<>(filter, path -> lookup.apply(item, path));
            boolean result = evaluator.or();
            if (evaluator.position != evaluator.tokens.size()) {
                throw new FilterException(
                        "Invalid filter clause: unexpected '" + evaluator.tokens.get(evaluator.position) + "'");
            }
            return result;
        };
    }

    private boolean or() {
        boolean value = and();
        while (peekKeyword("or")) {
            position++;
            boolean right = and();
            value = value || right;
        }
        return value;
    }

    private boolean and() {
        boolean value = unary();
        while (peekKeyword("and")) {
            position++;
            boolean right = unary();
            value = value && right;
        }
        return value;
    }

    private boolean unary() {
        if (peekKeyword("not")) {
            position++;
            return !unary();
        }
        if (peek("(")) {
            position++;
            boolean value = or();
            expect(")");
            return value;
        }
        String name = next();
        if (peek("(")) {
            position++;
            Object left = operand(next());
            expect(",");
            Object right = operand(next());
            expect(")");
            String l = text(left);
            String r = text(right);
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "startswith" -> l.startsWith(r);
                case "endswith" -> l.endsWith(r);
                case "contains" -> l.contains(r);
                default -> throw new FilterException("Invalid filter clause: unknown function " + name);
            };
        }
        Object left = operand(name);
        if (left instanceof Boolean value
                && (position >= tokens.size() || peek(")") || peekKeyword("and") || peekKeyword("or"))) {
            return value;
        }
        String op = next().toLowerCase(Locale.ROOT);
        Object right = operand(next());
        int compared = compare(left, right);
        return switch (op) {
            case "eq" -> compared == 0;
            case "ne" -> compared != 0;
            case "gt" -> compared > 0;
            case "ge" -> compared >= 0;
            case "lt" -> compared < 0;
            case "le" -> compared <= 0;
            default -> throw new FilterException("Invalid filter clause: unknown operator " + op);
        };
    }

    private Object operand(String token) {
        if (token.startsWith("'")) {
            return token.substring(1, token.length() - 1).replace("''", "'");
        }
        if (token.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
            try {
                return OffsetDateTime.parse(token).toInstant();
            } catch (RuntimeException e) {
                throw new FilterException("Invalid filter clause: bad DateTimeOffset " + token);
            }
        }
        if (token.equals("true") || token.equals("false")) {
            return Boolean.valueOf(token);
        }
        if (token.matches("[A-Za-z][A-Za-z0-9/]*")) {
            Object value = properties.apply(token);
            if (value == Unknown.PROPERTY) {
                throw new FilterException(
                        "Could not find a property named '" + token + "' on type 'microsoft.graph.message'.");
            }
            return value;
        }
        throw new FilterException("Invalid filter clause: unexpected '" + token + "'");
    }

    /** Marks a property path the fake does not know. */
    enum Unknown {
        PROPERTY
    }

    private static int compare(Object left, Object right) {
        if (left == null || right == null) {
            return left == right ? 0 : -1;
        }
        if (left instanceof Instant a && right instanceof Instant b) {
            return a.compareTo(b);
        }
        if (left instanceof Boolean a && right instanceof Boolean b) {
            return a.compareTo(b);
        }
        return text(left).compareToIgnoreCase(text(right)) == 0 ? 0 : text(left).compareTo(text(right));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().toLowerCase(Locale.ROOT);
    }

    private boolean peek(String token) {
        return position < tokens.size() && tokens.get(position).equals(token);
    }

    private boolean peekKeyword(String keyword) {
        return position < tokens.size() && tokens.get(position).equalsIgnoreCase(keyword);
    }

    private String next() {
        if (position >= tokens.size()) {
            throw new FilterException("Invalid filter clause: unexpected end");
        }
        return tokens.get(position++);
    }

    private void expect(String token) {
        if (!token.equals(next())) {
            throw new FilterException("Invalid filter clause: expected '" + token + "'");
        }
    }

    private static List<String> tokenize(String filter) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < filter.length()) {
            char c = filter.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '\'') {
                int j = i + 1;
                while (true) {
                    if (j >= filter.length()) {
                        throw new FilterException("Invalid filter clause: unterminated string literal");
                    }
                    if (filter.charAt(j) == '\'') {
                        if (j + 1 < filter.length() && filter.charAt(j + 1) == '\'') {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                tokens.add(filter.substring(i, j + 1));
                i = j + 1;
            } else {
                int j = i;
                while (j < filter.length() && " (),'".indexOf(filter.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(filter.substring(i, j));
                i = j;
            }
        }
        return tokens;
    }
}
