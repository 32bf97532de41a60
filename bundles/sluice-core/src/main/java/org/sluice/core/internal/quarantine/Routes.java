package org.sluice.core.internal.quarantine;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the mailbox connector instance for a mailbox from the {@code mailbox.routes} setting: an entry for the full
 * address wins over one for its domain, which wins over {@code *}. A pure function.
 */
final class Routes {

    private Routes() {}

    /** The instance id serving {@code mailbox}, or empty when no route covers it. */
    static Optional<String> route(String mailbox, List<String> routes) {
        String address = mailbox.strip().toLowerCase(Locale.ROOT);
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? null : address.substring(at + 1);
        String byDomain = null;
        String byDefault = null;
        for (String route : routes) {
            int eq = route.indexOf('=');
            if (eq < 1) {
                continue;
            }
            String key = route.substring(0, eq);
            String instance = route.substring(eq + 1);
            if (key.equals(address)) {
                return Optional.of(instance);
            }
            if (key.equals(domain)) {
                byDomain = instance;
            } else if (key.equals("*")) {
                byDefault = instance;
            }
        }
        return Optional.ofNullable(byDomain != null ? byDomain : byDefault);
    }
}
