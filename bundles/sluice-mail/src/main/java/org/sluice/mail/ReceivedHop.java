package org.sluice.mail;

import java.time.Instant;
import java.util.Objects;

/**
 * One {@code Received} header, split into its clauses. Every field except {@code raw} is empty when the header does
 * not have that clause. All of it is written by the relays (and, below the first trusted one, by the sender).
 *
 * @param raw the decoded header value
 * @param from the {@code from} clause (host name as announced, and the relay's comment, e.g. reverse DNS and IP)
 * @param fromIp the first IPv4 or IPv6 address in the {@code from} clause, or empty
 * @param by the {@code by} clause
 * @param with the {@code with} clause (protocol, e.g. {@code ESMTPS})
 * @param id the {@code id} clause
 * @param forAddress the {@code for} clause, without angle brackets
 * @param dateText the text after the last semicolon
 * @param date the parsed date, or {@code null} when {@code dateText} is missing or cannot be parsed
 */
public record ReceivedHop(
        String raw,
        String from,
        String fromIp,
        String by,
        String with,
        String id,
        String forAddress,
        String dateText,
        Instant date) {

    public ReceivedHop {
        Objects.requireNonNull(raw, "raw");
        from = nz(from);
        fromIp = nz(fromIp);
        by = nz(by);
        with = nz(with);
        id = nz(id);
        forAddress = nz(forAddress);
        dateText = nz(dateText);
    }

    /** True when the hop has date text that could not be parsed, or no date at all. */
    public boolean dateUnparseable() {
        return date == null;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
