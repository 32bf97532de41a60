package org.sluice.mail.internal;

import org.sluice.mail.ParseLimits;

/** State shared by every level of one parse: the limits and the counters they are checked against. */
final class Analysis {

    final ParseLimits limits;
    private int parts;
    private boolean partLimitReported;

    Analysis(ParseLimits limits) {
        this.limits = limits;
    }

    /** Counts one more part; false once the part limit is crossed. */
    boolean nextPart() {
        parts++;
        return parts <= limits.maxParts();
    }

    /** True the first time it is called after the part limit was crossed, so the finding is recorded once. */
    boolean reportPartLimit() {
        if (partLimitReported) {
            return false;
        }
        partLimitReported = true;
        return true;
    }
}
