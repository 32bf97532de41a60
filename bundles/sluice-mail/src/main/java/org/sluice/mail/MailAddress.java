package org.sluice.mail;

import java.util.Locale;
import java.util.Objects;

/**
 * One mailbox from an address header.
 *
 * @param displayName the decoded display name, or empty; attacker-chosen and often misleading (it may itself look
 *     like an address)
 * @param address the address as written between the angle brackets (or bare), without brackets; empty for the null
 *     reverse path {@code <>}
 */
public record MailAddress(String displayName, String address) {

    public MailAddress {
        displayName = displayName == null ? "" : displayName;
        Objects.requireNonNull(address, "address");
    }

    /** The part before the last {@code @}, or the whole address when it has none. */
    public String localPart() {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    /** The domain after the last {@code @} in lower case, or empty when the address has none. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** The address in lower case, for comparisons. */
    public String normalized() {
        return address.toLowerCase(Locale.ROOT);
    }
}
