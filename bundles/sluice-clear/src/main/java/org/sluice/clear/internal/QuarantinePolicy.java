package org.sluice.clear.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sluice.api.clear.Disposition;
import org.sluice.api.quarantine.QuarantineService.Counts;
import org.sluice.mail.MailAddress;
import org.sluice.mail.ParsedMessage;

/**
 * The per-disposition policy "quarantine all internal copies" (C5), as a pure decision. Only authenticated reports
 * trigger it; an incident whose quarantine was already requested (anything counted) is not queued again; and when the
 * reported message has more internal recipients than the cap, the quarantine waits for an analyst instead of
 * starting. The number of copies a search will find is only known after it ran, so the cap is applied to the internal
 * recipients the reported message names (To and Cc, at least the reporter).
 */
final class QuarantinePolicy {

    /** What to do. */
    enum Decision {
        /** The policy does not apply (disposition not enabled, reporter not authenticated). */
        NONE,
        /** The incident's quarantine was requested before. */
        ALREADY_REQUESTED,
        /** Queue the quarantine now. */
        QUEUE,
        /** Above the cap: record that an analyst must approve. */
        WAIT_FOR_ANALYST
    }

    private QuarantinePolicy() {}

    static Decision decide(
            Disposition disposition,
            boolean authenticated,
            Set<Disposition> enabled,
            int internalCopies,
            int cap,
            Counts existing) {
        if (!authenticated || !enabled.contains(disposition)) {
            return Decision.NONE;
        }
        if (existing != null
                && existing.successful() + existing.failed() + existing.pending() + existing.notFound() > 0) {
            return Decision.ALREADY_REQUESTED;
        }
        return internalCopies > cap ? Decision.WAIT_FOR_ANALYST : Decision.QUEUE;
    }

    /** The distinct internal recipients (To and Cc) of the reported message, counting the reporter at least. */
    static int internalCopies(ParsedMessage reported, List<String> internalDomains, String reporter) {
        Set<String> internal = new LinkedHashSet<>();
        for (List<MailAddress> list : List.of(reported.to(), reported.cc())) {
            for (MailAddress address : list) {
                String domain = address.domain().toLowerCase(Locale.ROOT);
                if (internalDomains.stream()
                        .map(d -> d.toLowerCase(Locale.ROOT))
                        .anyMatch(d -> domain.equals(d) || domain.endsWith("." + d))) {
                    internal.add(address.normalized());
                }
            }
        }
        if (reporter != null) {
            internal.add(reporter);
        }
        return internal.size();
    }
}
