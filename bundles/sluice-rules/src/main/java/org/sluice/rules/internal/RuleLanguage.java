package org.sluice.rules.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlInfo;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.introspection.JexlPermissions;
import org.apache.commons.jexl3.introspection.JexlSandbox;
import org.apache.commons.jexl3.parser.ASTFunctionNode;
import org.apache.commons.jexl3.parser.ASTIdentifier;
import org.apache.commons.jexl3.parser.ASTIdentifierAccess;
import org.apache.commons.jexl3.parser.ASTMethodNode;
import org.apache.commons.jexl3.parser.JexlNode;
import org.apache.commons.jexl3.parser.Parser;
import org.sluice.rules.Facts;

/**
 * The rule condition language: Apache Commons JEXL expressions, cut down so that a rule can only read facts and
 * compute a boolean. Refused when a condition is compiled: assignments and any other side effect, loops, {@code new},
 * pragmas, annotations and scripts of several statements. Refused when it runs: every method of every class except a
 * few read-only {@link String} methods and {@link RuleFunctions}; reflection is unreachable. Facts are plain maps,
 * lists, strings, numbers and booleans.
 */
final class RuleLanguage {

    private static final JexlFeatures FEATURES = new JexlFeatures()
            .sideEffect(false)
            .sideEffectGlobal(false)
            .loops(false)
            .newInstance(false)
            .pragma(false)
            .pragmaAnywhere(false)
            .annotation(false)
            .importPragma(false)
            .namespacePragma(false)
            .script(false)
            .lambda(true)
            .localVar(true)
            .methodCall(true)
            .structuredLiteral(true);

    private static final String[] STRING_METHODS = {
        "startsWith",
        "endsWith",
        "contains",
        "toLowerCase",
        "toUpperCase",
        "length",
        "isEmpty",
        "isBlank",
        "strip",
        "trim"
    };

    /** The functions a condition may call: the public methods of {@link RuleFunctions}. */
    private static final Set<String> FUNCTIONS = functions();

    private final JexlEngine engine;

    RuleLanguage() {
        JexlSandbox sandbox = new JexlSandbox(false, true);
        sandbox.permissions(Map.class.getName(), true, true, false, false);
        sandbox.permissions(Collection.class.getName(), true, true, false, false);
        sandbox.allow(String.class.getName()).execute(STRING_METHODS);
        sandbox.permissions(RuleFunctions.class.getName(), true, false, false, true);
        Map<String, Object> namespaces = new HashMap<>();
        namespaces.put(null, RuleFunctions.class);
        engine = new JexlBuilder()
                // JEXL resolves the function class by name; under OSGi only this bundle's loader can see it.
                .loader(RuleLanguage.class.getClassLoader())
                .features(FEATURES)
                .sandbox(sandbox)
                .permissions(JexlPermissions.RESTRICTED.compose(RuleFunctions.class.getPackageName() + ".*"))
                .namespaces(namespaces)
                .arithmetic(new RuleArithmetic())
                .strict(true)
                .safe(false)
                .silent(false)
                .cache(1024)
                .create();
    }

    /**
     * Compiles a condition, checking that it reads only known facts.
     *
     * @throws IllegalArgumentException with a message naming what is wrong (and where, within the condition)
     */
    JexlExpression compile(String condition) {
        JexlExpression expression;
        try {
            expression = engine.createExpression(condition);
        } catch (JexlException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
        Set<String> unknown = new TreeSet<>();
        if (expression instanceof org.apache.commons.jexl3.JexlScript script) {
            for (List<String> path : script.getVariables()) {
                if (!path.isEmpty() && !Facts.ROOTS.contains(path.get(0))) {
                    unknown.add(path.get(0));
                }
            }
        }
        String calls = refusedCalls(condition);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown fact " + String.join(", ", unknown) + " (known: "
                    + String.join(", ", new TreeSet<>(Facts.ROOTS)) + ")" + (calls == null ? "" : "; " + calls));
        }
        if (calls != null) {
            throw new IllegalArgumentException(calls);
        }
        return expression;
    }

    /**
     * Names the calls of methods and functions that the sandbox would refuse on every evaluation, and uses of the
     * {@code class} property (no fact has it; on a text it would name the Java class); {@code null} when there are
     * none.
     */
    private static String refusedCalls(String condition) {
        JexlNode root;
        try {
            root = new Parser(condition).parse(new JexlInfo("condition", 1, 1), FEATURES, condition, null);
        } catch (JexlException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
        Set<String> refused = new TreeSet<>();
        List<JexlNode> pending = new java.util.ArrayList<>(List.of(root));
        while (!pending.isEmpty()) {
            JexlNode node = pending.remove(pending.size() - 1);
            JexlNode first = node.jjtGetNumChildren() > 0 ? node.jjtGetChild(0) : null;
            if (node instanceof ASTMethodNode) {
                String name = first instanceof ASTIdentifierAccess access ? access.getName() : null;
                if (name == null || !List.of(STRING_METHODS).contains(name)) {
                    refused.add("method " + (name == null ? "(computed)" : name + "()") + " at " + where(node));
                }
            } else if (node instanceof ASTIdentifierAccess access && "class".equals(access.getName())) {
                refused.add("property class at " + where(node));
            } else if (node instanceof ASTFunctionNode) {
                String name = first instanceof ASTIdentifier identifier && identifier.getNamespace() == null
                        ? identifier.getName()
                        : null;
                if (name == null || !FUNCTIONS.contains(name)) {
                    refused.add("function " + (name == null ? "(computed)" : name + "()") + " at " + where(node));
                }
            }
            for (int i = 0; i < node.jjtGetNumChildren(); i++) {
                pending.add(node.jjtGetChild(i));
            }
        }
        if (refused.isEmpty()) {
            return null;
        }
        return "uses what a rule may not: " + String.join(", ", refused) + " (allowed: the functions "
                + String.join(", ", new TreeSet<>(FUNCTIONS)) + " and the text methods "
                + String.join(", ", STRING_METHODS) + ")";
    }

    private static String where(JexlNode node) {
        JexlInfo info = node.jexlInfo();
        return info == null ? "?" : info.getLine() + ":" + info.getColumn();
    }

    private static Set<String> functions() {
        Set<String> names = new TreeSet<>();
        for (java.lang.reflect.Method method : RuleFunctions.class.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isPublic(method.getModifiers())) {
                names.add(method.getName());
            }
        }
        return Set.copyOf(names);
    }

    /**
     * Evaluates a compiled condition over facts.
     *
     * @return whether the condition holds; anything but {@code true} counts as not holding
     * @throws IllegalStateException with a message naming what failed
     */
    boolean holds(JexlExpression expression, Map<String, Object> facts) {
        try {
            Map<String, Object> variables = new HashMap<>(Facts.EMPTY);
            variables.putAll(facts);
            return Boolean.TRUE.equals(expression.evaluate(new MapContext(variables)));
        } catch (JexlException e) {
            throw new IllegalStateException(describe(e), e);
        } catch (BoundedText.RegexTimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String describe(JexlException e) {
        String message = String.valueOf(e.getMessage());
        // JEXL starts its messages with the Java caller and then "@line:column"; the rule author needs the rest.
        int at = message.indexOf('@');
        String text = at >= 0 ? "at " + message.substring(at + 1) : message;
        if (e.getCause() instanceof BoundedText.RegexTimeoutException timeout) {
            text += ": " + timeout.getMessage();
        } else if (e.getCause() != null && !(e.getCause() instanceof JexlException)) {
            text += ": " + e.getCause();
        }
        return text;
    }
}
