package org.sluice.rules.internal;

/**
 * Text that refuses to be read after a deadline. Regular expressions from rule authors run over text from attackers;
 * a pattern that backtracks catastrophically on crafted input reads characters for ever, and this stops it: every
 * character read checks the clock, so a match ends with {@link RegexTimeoutException} instead of holding a thread.
 */
final class BoundedText implements CharSequence {

    private final CharSequence text;
    private final long deadline;

    private BoundedText(CharSequence text, long deadline) {
        this.text = text;
        this.deadline = deadline;
    }

    /** Wraps {@code text}; reading it is allowed for {@code budgetNanos} from now. */
    static BoundedText of(CharSequence text, long budgetNanos) {
        return new BoundedText(text, System.nanoTime() + budgetNanos);
    }

    @Override
    public char charAt(int index) {
        if (System.nanoTime() > deadline) {
            throw new RegexTimeoutException();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedText(text.subSequence(start, end), deadline);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** A regular expression took longer than its budget. */
    static final class RegexTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RegexTimeoutException() {
            super("regular expression took too long on this text", null, false, false);
        }
    }
}
