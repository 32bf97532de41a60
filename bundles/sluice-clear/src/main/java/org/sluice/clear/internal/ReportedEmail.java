package org.sluice.clear.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sluice.clear.internal.ReporterCheck.Reporter;
import org.sluice.mail.HeaderField;
import org.sluice.mail.MailAddress;
import org.sluice.mail.ParsedMessage;
import org.sluice.rules.MessageFacts;

/**
 * What a CLEAR alert says about the reported message and its report, as pure functions: the alert payload's
 * {@code email} object (the shape every source uses, which quarantine, notices and the compatible API read), the
 * source's name for people, the facts the rules see, and where failed reports are filed.
 *
 * <p>The {@code email} object names the reported message by its Message-ID, or, for an inline forward that has none,
 * by its sender and exact subject within a search window: from a day before the earlier of its claimed date and the
 * report (a week before the report when it has no readable date) to a day after the report. The reported message was
 * received before it was reported, and its date is only what its sender claims. Its recipients are its {@code To} and
 * {@code Cc} addresses and, when authenticated, the reporter (who certainly received it).
 */
final class ReportedEmail {

    /** The source name of uploaded reports. */
    static final String UPLOAD_SOURCE_NAME = "CLEAR Upload";

    static final Duration BEFORE_DATE = Duration.ofDays(1);
    static final Duration WITHOUT_DATE = Duration.ofDays(7);
    static final Duration AFTER_REPORT = Duration.ofDays(1);

    /** At most this many header names go into the {@code email.headers} object, each value clipped. */
    static final int MAX_HEADERS = 40;

    static final int MAX_HEADER_VALUE = 2_000;

    private ReportedEmail() {}

    static Map<String, Object> email(ParsedMessage reported, String messageId, Reporter reporter, Instant reportedAt) {
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("message_id", messageId);
        String sender = reported.fromAddress().map(MailAddress::normalized).orElse(null);
        email.put("sender", sender == null ? null : Map.of("email", sender));
        email.put("subject", reported.subject());
        Instant date = reported.date();
        email.put("delivery_time", date == null ? null : date.toString());
        Instant earliest = date == null
                ? reportedAt.minus(WITHOUT_DATE)
                : (date.isBefore(reportedAt) ? date : reportedAt).minus(BEFORE_DATE);
        email.put("received_after", earliest.toString());
        email.put("received_before", reportedAt.plus(AFTER_REPORT).toString());
        Set<String> to = new LinkedHashSet<>();
        for (List<MailAddress> list : List.of(reported.to(), reported.cc())) {
            for (MailAddress address : list) {
                if (!address.address().isBlank()) {
                    to.add(address.normalized());
                }
            }
        }
        email.put("to", new ArrayList<>(to));
        email.put(
                "recipient",
                reporter != null && reporter.authenticated() && reporter.address() != null ? reporter.address() : null);
        email.put("headers", firstValues(reported.headers()));
        return email;
    }

    /** The first value of each header name, as the compatible API's {@code headers} object shows them. */
    static Map<String, String> firstValues(List<HeaderField> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (HeaderField field : headers) {
            if (out.size() >= MAX_HEADERS) {
                break;
            }
            String value = field.value();
            out.putIfAbsent(
                    field.name(), value.length() > MAX_HEADER_VALUE ? value.substring(0, MAX_HEADER_VALUE) : value);
        }
        return out;
    }

    /** The name people see for where a report came from: uploads have one; a mailbox source names its mailbox. */
    static String sourceName(String origin) {
        if (origin == null || origin.isBlank()) {
            return "CLEAR";
        }
        return origin.equals("upload") ? UPLOAD_SOURCE_NAME : origin;
    }

    /**
     * The link key of a report in which no reported message could be found: one incident per authenticated reporter
     * and UTC day, and one per day for all unauthenticated ones (their From is anyone's to forge, so it must not be
     * able to open incidents at will). A closed incident releases its key, so the next failure opens a new one.
     */
    static String failedLinkKey(Reporter reporter, Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (reporter != null && reporter.authenticated() && reporter.address() != null) {
            return "clear-failed:" + reporter.address().toLowerCase(Locale.ROOT) + ":" + day;
        }
        return "clear-failed:unauthenticated:" + day;
    }

    /** The facts the rules see about a reported message and its reporter. */
    static Map<String, Object> facts(
            ParsedMessage reported, String reporterAddress, boolean authenticated, List<String> internalDomains) {
        Map<String, Object> reporterFacts = new LinkedHashMap<>();
        reporterFacts.put("address", reporterAddress == null ? "" : reporterAddress);
        reporterFacts.put(
                "domain",
                reporterAddress == null || reporterAddress.indexOf('@') < 0
                        ? ""
                        : reporterAddress
                                .substring(reporterAddress.lastIndexOf('@') + 1)
                                .toLowerCase(Locale.ROOT));
        reporterFacts.put("authenticated", authenticated);
        Map<String, List<String>> lists = Map.of("internal_domains", internalDomains);
        return MessageFacts.of(reported, reporterFacts, lists);
    }
}
