package org.sluice.clear.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sluice.mail.AuthResult;
import org.sluice.mail.AuthenticationResults;
import org.sluice.mail.HeaderField;
import org.sluice.mail.MailAddress;
import org.sluice.mail.ParsedMessage;

/**
 * Decides who sent a report and whether that is authenticated. Anyone can send to the abuse mailbox and write any
 * From, so a reporter counts as internal and authenticated only when the From domain is one of the organisation's
 * domains and either
 *
 * <ul>
 *   <li>the report's topmost {@code Authentication-Results} header (the one the organisation's own receiving server
 *       added last) has a passing DMARC result for that domain, or a passing DKIM ({@code header.d}) or SPF
 *       ({@code smtp.mailfrom}) result aligned with it (same domain or a subdomain either way), or
 *   <li>the report carries the trusted reporting add-in header exactly as configured ({@code Name: value}).
 * </ul>
 *
 * Deeper {@code Authentication-Results} headers are ignored: whoever sent the report could have written them.
 */
final class ReporterCheck {

    /**
     * The outcome.
     *
     * @param address the From address of the report, or {@code null} when it has none
     * @param domain its domain, or empty
     * @param internal whether that domain is one of the organisation's
     * @param authenticated whether the origin is authenticated as described above
     * @param reason why, in a few words
     */
    record Reporter(String address, String domain, boolean internal, boolean authenticated, String reason) {}

    private ReporterCheck() {}

    static Reporter check(ParsedMessage report, List<String> internalDomains, String trustedHeader) {
        Optional<MailAddress> from = report.fromAddress();
        if (from.isEmpty() || from.get().address().isBlank()) {
            return new Reporter(null, "", false, false, "the report has no From address");
        }
        String address = from.get().normalized();
        String domain = from.get().domain().toLowerCase(Locale.ROOT);
        boolean internal = internalDomains.stream().anyMatch(d -> sameOrSub(domain, d.toLowerCase(Locale.ROOT)));
        if (!internal) {
            return new Reporter(address, domain, false, false, "the reporter's domain is not an internal domain");
        }
        String ambiguity = ambiguousOrigin(report, address);
        if (ambiguity != null) {
            return new Reporter(address, domain, true, false, ambiguity);
        }
        if (trustedHeaderPresent(report, trustedHeader)) {
            return new Reporter(address, domain, true, true, "trusted reporting add-in header");
        }
        Optional<AuthenticationResults> top = report.authenticationResults().stream()
                .filter(a -> a.headerName().equalsIgnoreCase("Authentication-Results"))
                .findFirst();
        if (top.isEmpty()) {
            return new Reporter(address, domain, true, false, "the report has no Authentication-Results");
        }
        for (AuthResult result : top.get().results()) {
            if (!result.passed()) {
                continue;
            }
            switch (result.method()) {
                case "dmarc" -> {
                    String headerFrom = result.property("header.from");
                    if (headerFrom.isEmpty() || aligned(domain, headerFrom)) {
                        return new Reporter(address, domain, true, true, "DMARC pass");
                    }
                }
                case "dkim" -> {
                    String d = result.property("header.d");
                    if (d.isEmpty()) {
                        d = domainOf(result.property("header.i"));
                    }
                    if (!d.isEmpty() && aligned(domain, d)) {
                        return new Reporter(address, domain, true, true, "DKIM pass aligned (d=" + d + ")");
                    }
                }
                case "spf" -> {
                    String mailFrom = domainOf(result.property("smtp.mailfrom"));
                    if (!mailFrom.isEmpty() && aligned(domain, mailFrom)) {
                        return new Reporter(address, domain, true, true, "SPF pass aligned (" + mailFrom + ")");
                    }
                }
                default -> {
                    // other methods say nothing about the From domain
                }
            }
        }
        return new Reporter(
                address, domain, true, false, "no passing aligned DMARC, DKIM or SPF on the report's own results");
    }

    /**
     * Why the report does not name exactly one author, or {@code null} when it does: one From field holding one
     * mailbox, and a Sender (if any) that is that same mailbox. DMARC and the other checks vouch for one domain only,
     * so a second author (or a different sender) would ride on someone else's authentication.
     */
    private static String ambiguousOrigin(ParsedMessage report, String address) {
        int fromFields = report.headers("From").size();
        if (fromFields != 1) {
            return "the report has " + fromFields + " From fields";
        }
        if (report.from().size() != 1) {
            return "the report's From names " + report.from().size() + " addresses";
        }
        List<HeaderField> senderFields = report.headers("Sender");
        if (senderFields.isEmpty()) {
            return null;
        }
        if (senderFields.size() != 1
                || !address.equals(singleMailbox(senderFields.get(0).value()))) {
            return "the report's Sender is not its From address";
        }
        return null;
    }

    /** The one mailbox of a Sender value ({@code addr} or {@code Name <addr>}) in lower case, or empty. */
    private static String singleMailbox(String value) {
        String v = value.strip();
        int open = v.lastIndexOf('<');
        if (open >= 0) {
            int close = v.indexOf('>', open);
            if (close < 0 || !v.substring(close + 1).isBlank()) {
                return "";
            }
            v = v.substring(open + 1, close).strip();
        }
        boolean one = v.indexOf('@') > 0 && v.indexOf('@') == v.lastIndexOf('@');
        return one && v.chars().noneMatch(c -> c == ',' || c == '<' || c == '>' || Character.isWhitespace(c))
                ? v.toLowerCase(Locale.ROOT)
                : "";
    }

    private static boolean trustedHeaderPresent(ParsedMessage report, String trustedHeader) {
        if (trustedHeader == null || trustedHeader.isBlank()) {
            return false;
        }
        int colon = trustedHeader.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        String name = trustedHeader.substring(0, colon).strip();
        String value = trustedHeader.substring(colon + 1).strip();
        if (value.isEmpty()) {
            return false;
        }
        for (HeaderField field : report.headers(name)) {
            if (field.value().strip().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String domainOf(String addressOrDomain) {
        String v = addressOrDomain.strip().toLowerCase(Locale.ROOT);
        int at = v.lastIndexOf('@');
        return at >= 0 ? v.substring(at + 1) : v;
    }

    /** Relaxed alignment: one domain equals the other or is a subdomain of it. */
    static boolean aligned(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = domainOf(b);
        if (x.indexOf('.') < 0 || y.indexOf('.') < 0) {
            return false;
        }
        return sameOrSub(x, y) || sameOrSub(y, x);
    }

    private static boolean sameOrSub(String domain, String parent) {
        return !parent.isEmpty() && (domain.equals(parent) || domain.endsWith("." + parent));
    }
}
