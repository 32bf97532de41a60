package org.sluice.rules.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiled regular expressions of rules, cached, and the time budget each match over message text gets. */
final class Patterns {

    /** How long one match may read text before it is abandoned. */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final int CACHE_SIZE = 512;

    private static final Map<String, Pattern> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private Patterns() {}

    /** The compiled pattern; a bad pattern throws {@link PatternSyntaxException} naming it. */
    static Pattern compile(String regex, int flags) {
        String key = flags + ":" + regex;
        synchronized (CACHE) {
            Pattern pattern = CACHE.get(key);
            if (pattern == null) {
                pattern = Pattern.compile(regex, flags);
                CACHE.put(key, pattern);
            }
            return pattern;
        }
    }

    static CharSequence bounded(String text) {
        return BoundedText.of(text, BUDGET_NANOS);
    }
}
