package org.sluice.connector.graph;

/**
 * How a copy is taken out of a user's reach. Only {@link #HARD_DELETE} meets the quarantine promise that no folder,
 * search or recover-deleted-items view of the user shows the message; the other two are faster to undo by hand and
 * leave the message visible in the ways their Javadoc says.
 */
public enum RemovalMode {
    /**
     * {@code permanentDelete}: the message goes to the mailbox's Purges folder, which neither Outlook, OWA nor the
     * "Recover deleted items" view shows to the user. Only an administrator's eDiscovery search (within the retention
     * period, or under a hold) still finds it. Undo re-creates the message from the vault's copy.
     */
    HARD_DELETE,
    /**
     * Move to Deleted Items: the user still sees the message in Deleted Items, finds it by search, and can move it
     * back or open it (links and attachments included). Only a stop-gap.
     */
    DELETED_ITEMS,
    /**
     * Move to a hidden folder of the mailbox (created on first use): Outlook and OWA do not list it and their search
     * does not look inside, but any mail client that lists hidden folders (Graph with {@code includeHiddenFolders},
     * EWS, MAPI tools) shows it, and the mailbox owner could reach it that way.
     */
    HIDDEN_FOLDER
}
