package org.sluice.rules.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiled regular expressions of rules, cached, and the budget each match over message text gets. */
final class Patterns {

    /**
     * How many times one match may read each character of the text, plus {@link #BASE_READS}: far more than any
     * pattern without catastrophic backtracking needs (an alternation of fifty words reads each character a few
     * dozen times), far less than the exponential number a catastrophic one reads.
     */
    static final long READS_PER_CHAR = 1_000;

    /** Reads allowed on top of the per-character budget, so that short texts are not held to a tiny one. */
    static final long BASE_READS = 1_000_000;

    /** The wall-clock backstop of one match. */
    static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(2);

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
        return BoundedText.of(text, BASE_READS + READS_PER_CHAR * text.length(), BUDGET_NANOS);
    }
}
