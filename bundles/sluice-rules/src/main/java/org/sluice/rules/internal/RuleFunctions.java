package org.sluice.rules.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlScript;

/**
 * The functions a rule condition can call, without a namespace ({@code any(urls, u -> ...)}). One instance per
 * evaluation, so that lambdas see the message's facts. Every function accepts {@code null} where a fact may be absent
 * and then answers as if the fact were empty.
 */
public final class RuleFunctions {

    private final JexlContext context;

    /** Called by the expression engine once per evaluation. */
    public RuleFunctions(JexlContext context) {
        this.context = context;
    }

    /** Whether {@code test} holds for at least one element. */
    public boolean any(Collection<?> items, JexlScript test) {
        if (items != null) {
            for (Object item : items) {
                if (holds(test, item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code test} holds for every element; false for no elements, so that a missing list never matches. */
    public boolean all(Collection<?> items, JexlScript test) {
        if (items == null || items.isEmpty()) {
            return false;
        }
        for (Object item : items) {
            if (!holds(test, item)) {
                return false;
            }
        }
        return true;
    }

    /** How many elements {@code test} holds for. */
    public int count(Collection<?> items, JexlScript test) {
        int count = 0;
        if (items != null) {
            for (Object item : items) {
                if (holds(test, item)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The text in lower case, or {@code null}. */
    public String lower(Object text) {
        return text == null ? null : text.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The letters and digits of {@code text} in lower case, everything else dropped: {@code "D/H/L-Express"} reads
     * {@code "dhlexpress"}, so that separators cannot hide a name from {@link #contains}.
     */
    public String letters(Object text) {
        if (text == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder();
        text.toString()
                .toLowerCase(Locale.ROOT)
                .codePoints()
                .filter(Character::isLetterOrDigit)
                .forEach(kept::appendCodePoint);
        return kept.toString();
    }

    /** Whether {@code text} contains {@code part}, ignoring case. */
    public boolean contains(Object text, Object part) {
        if (text == null || part == null) {
            return false;
        }
        return text.toString().toLowerCase(Locale.ROOT).contains(part.toString().toLowerCase(Locale.ROOT));
    }

    /** Whether {@code regex} occurs anywhere in {@code text}, ignoring case; time-bounded. */
    public boolean matches(Object text, String regex) {
        if (text == null || regex == null) {
            return false;
        }
        Pattern pattern = Patterns.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return pattern.matcher(Patterns.bounded(text.toString())).find();
    }

    /** Whether {@code domain} is one of {@code domains} (a list, or one domain) or a subdomain of one. */
    public boolean in_domains(Object domain, Object domains) {
        if (domain == null || domains == null) {
            return false;
        }
        Iterable<?> entries;
        if (domains instanceof Collection<?> collection) {
            entries = collection;
        } else if (domains instanceof Object[] array) {
            entries = Arrays.asList(array);
        } else {
            entries = List.of(domains);
        }
        String name = domain.toString().toLowerCase(Locale.ROOT);
        for (Object entry : entries) {
            if (entry == null) {
                continue;
            }
            String candidate = entry.toString().toLowerCase(Locale.ROOT);
            if (name.equals(candidate) || name.endsWith("." + candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal (with or without brackets). */
    public boolean is_ip(Object host) {
        if (host == null) {
            return false;
        }
        String text = host.toString();
        return text.matches("\\d{1,3}(\\.\\d{1,3}){3}") || text.matches("\\[?[0-9a-fA-F:]*:[0-9a-fA-F:.]*]?");
    }

    private boolean holds(JexlScript test, Object item) {
        return Boolean.TRUE.equals(test.execute(context, item));
    }
}
