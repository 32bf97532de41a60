package org.sluice.rules.internal;

/**
 * Text that refuses to be read beyond a budget. Regular expressions from rule authors run over text from attackers;
 * a pattern that backtracks catastrophically on crafted input reads characters for ever, and this stops it: every
 * character read is counted, so a match ends with {@link RegexTimeoutException} instead of holding a thread.
 *
 * <p>The budget is a number of character reads, proportional to the text's length, so that the same rule on the same
 * message always gives the same result however busy the machine is. A wall-clock deadline, far above what any sane
 * pattern needs, backs it up.
 */
final class BoundedText implements CharSequence {

    private final CharSequence text;
    private final Budget budget;

    private BoundedText(CharSequence text, Budget budget) {
        this.text = text;
        this.budget = budget;
    }

    /** Wraps {@code text}; it may be read {@code maxReads} times in all, and for {@code maxNanos} from now. */
    static BoundedText of(CharSequence text, long maxReads, long maxNanos) {
        return new BoundedText(text, new Budget(maxReads, System.nanoTime() + maxNanos));
    }

    @Override
    public char charAt(int index) {
        budget.spend();
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedText(text.subSequence(start, end), budget);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** What one match may still read; used by one thread at a time, like the matcher it serves. */
    private static final class Budget {
        private long readsLeft;
        private final long deadline;

        Budget(long reads, long deadline) {
            this.readsLeft = reads;
            this.deadline = deadline;
        }

        void spend() {
            if (--readsLeft < 0 || ((readsLeft & 0x3FF) == 0 && System.nanoTime() > deadline)) {
                throw new RegexTimeoutException();
            }
        }
    }

    /** A regular expression read more than its budget. */
    static final class RegexTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RegexTimeoutException() {
            super("regular expression took too long on this text", null, false, false);
        }
    }
}
