package org.sluice.api.quarantine;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Expands a recipient address into the mailboxes it reaches (the members of a distribution list, the primary
 * mailbox of an alias), provided by a directory plugin. The core asks every registered expander about every
 * recipient of an alert before it quarantines, and keeps only internal addresses of the answers. Called outside
 * database transactions under a timeout; an expander that fails or times out is skipped for that recipient.
 */
@ConsumerType
public interface RecipientExpander {

    /**
     * The mailboxes {@code address} reaches, each with how it was found; empty when the address is not a list or
     * alias this expander knows (the address itself is always kept by the core).
     */
    List<Expansion> expand(String address) throws Exception;

    /**
     * One mailbox an address reaches.
     *
     * @param mailbox the mailbox's primary address
     * @param how how it was found: {@code Distribution List} or {@code Alias}
     */
    record Expansion(String mailbox, String how) {}
}
