package org.sluice.api.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The global settings, each with its wire name, type, default and validation. Values travel as JSON values: whole
 * numbers, booleans, strings, or lists of strings.
 */
public enum Setting {

    /** SPEC R2 "Quarantine Settings": how many attempts a quarantine or undo gets before it fails. */
    QUARANTINE_MAX_ATTEMPTS("quarantine.max_attempts", Type.INTEGER, 10, "Attempts per quarantine or undo (1-50)"),

    /** SPEC R5: the organisation's domains; only recipients in them have their mailboxes touched. */
    INTERNAL_DOMAINS("domains.internal", Type.DOMAINS, List.of(), "The organisation's e-mail domains"),

    /** SPEC C6: header names shown first and emphasized in an incident's alerts, in this order. */
    PRIORITIZED_HEADERS(
            "headers.prioritized",
            Type.HEADER_NAMES,
            List.of("From", "Reply-To", "Return-Path", "Authentication-Results", "Received-SPF", "X-Originating-IP"),
            "Header names shown first in alerts"),

    /** SPEC N1: the product prefix of notification subjects; empty removes it. */
    SUBJECT_PREFIX(
            "notifications.subject_prefix",
            Type.TEXT,
            "Sluice Threat Response",
            "Prefix of notification subjects; empty for none"),

    /**
     * SPEC R1: how long after a quarantine was queued a message not found in a mailbox is searched for again (mail
     * can arrive late), in minutes; after that the copy ends as "not found", which is not a failure.
     */
    QUARANTINE_NOT_FOUND_WINDOW(
            "quarantine.not_found_window_minutes",
            Type.INTEGER,
            60,
            "Minutes a quarantine keeps looking for a message not found yet (0-10080)",
            0,
            10_080),

    /** SPEC R1: the most copies one quarantine search may touch in one mailbox. */
    QUARANTINE_MAX_COPIES(
            "quarantine.max_copies_per_mailbox",
            Type.INTEGER,
            20,
            "Most copies one quarantine may touch in one mailbox (1-1000)",
            1,
            1_000),

    /** SPEC R1: whether the copies in the sender's own Sent folders are quarantined too. */
    QUARANTINE_INCLUDE_SENDER_SENT(
            "quarantine.include_sender_sent",
            Type.BOOLEAN,
            false,
            "Also quarantine the copy in an internal sender's Sent folder"),

    /**
     * SPEC R1: which configured mailbox connector instance serves which mailboxes, as {@code key=instance} entries;
     * the key is a full address (most specific), a domain, or {@code *} for every other mailbox.
     */
    MAILBOX_ROUTES(
            "mailbox.routes",
            Type.ROUTES,
            List.of(),
            "Connector instance per mailbox: address=instance, domain=instance or *=instance"),

    /** SPEC N5: who gets the SOC notices about incident changes. */
    SOC_RECIPIENTS("notifications.soc.recipients", Type.EMAILS, List.of(), "E-mail addresses of the SOC notices"),

    /** SPEC N5: whether the SOC is told about each new incident. */
    SOC_NEW_INCIDENT("notifications.soc.new_incident", Type.BOOLEAN, true, "Tell the SOC about new incidents"),

    /** SPEC N5: whether the SOC is told about each alert joining an existing incident. */
    SOC_NEW_ALERT("notifications.soc.new_alert", Type.BOOLEAN, true, "Tell the SOC about new alerts on incidents"),

    /** SPEC N5: whether the SOC is told when an incident changes state. */
    SOC_STATE_CHANGE("notifications.soc.state_change", Type.BOOLEAN, true, "Tell the SOC about incident state changes"),

    /**
     * SPEC N5: how many SOC notices go out one by one within a quarter of an hour; further changes in that quarter
     * are folded into one digest sent at its end.
     */
    SOC_BURST_LIMIT(
            "notifications.soc.burst_limit",
            Type.INTEGER,
            10,
            "SOC notices per 15 minutes before the rest become one digest (1-50)"),

    /**
     * SPEC C1: a header that the organisation's own reporting add-in or mail system sets on reports, written
     * {@code Name: value}; a report carrying exactly that field from an internal address counts as authenticated.
     * Empty (the default) trusts no header. The value should be a secret that inbound mail cannot know.
     */
    CLEAR_TRUSTED_REPORT_HEADER(
            "clear.trusted_report_header",
            Type.SECRET_HEADER,
            "",
            "Header 'Name: value' that marks a report from the trusted reporting add-in; empty for none"),

    /** SPEC C5: whether an authenticated report judged Malicious quarantines every internal copy of the message. */
    CLEAR_QUARANTINE_MALICIOUS(
            "clear.policy.malicious.quarantine",
            Type.BOOLEAN,
            false,
            "Quarantine all internal copies when an authenticated report is judged Malicious"),

    /** SPEC C5: the same for Suspicious. */
    CLEAR_QUARANTINE_SUSPICIOUS(
            "clear.policy.suspicious.quarantine",
            Type.BOOLEAN,
            false,
            "Quarantine all internal copies when an authenticated report is judged Suspicious"),

    /** SPEC C5: the same for Bulk. */
    CLEAR_QUARANTINE_BULK(
            "clear.policy.bulk.quarantine",
            Type.BOOLEAN,
            false,
            "Quarantine all internal copies when an authenticated report is judged Bulk"),

    /** SPEC C5: the same for Low Risk. */
    CLEAR_QUARANTINE_LOW_RISK(
            "clear.policy.low_risk.quarantine",
            Type.BOOLEAN,
            false,
            "Quarantine all internal copies when an authenticated report is judged Low Risk"),

    /**
     * SPEC C5: the most internal copies an automatic quarantine may take on one incident (counted from the reported
     * message's internal recipients); above it the quarantine waits for an analyst.
     */
    CLEAR_QUARANTINE_CAP(
            "clear.policy.quarantine_cap",
            Type.INTEGER,
            50,
            "Most internal copies one incident's automatic quarantine may take before an analyst approves (1-100000)",
            1,
            100_000),

    /**
     * SPEC C5: whether the authenticated reporter of a message judged Malicious is sent the Abuse Feedback template
     * of that disposition ({@code abuse-feedback-malicious}).
     */
    CLEAR_FEEDBACK_MALICIOUS(
            "clear.policy.malicious.feedback",
            Type.BOOLEAN,
            false,
            "Send abuse feedback to the authenticated reporter when a report is judged Malicious"),

    /** SPEC C5: the same for Suspicious. */
    CLEAR_FEEDBACK_SUSPICIOUS(
            "clear.policy.suspicious.feedback",
            Type.BOOLEAN,
            false,
            "Send abuse feedback to the authenticated reporter when a report is judged Suspicious"),

    /** SPEC C5: the same for Bulk. */
    CLEAR_FEEDBACK_BULK(
            "clear.policy.bulk.feedback",
            Type.BOOLEAN,
            false,
            "Send abuse feedback to the authenticated reporter when a report is judged Bulk"),

    /** SPEC C5: the same for Low Risk. */
    CLEAR_FEEDBACK_LOW_RISK(
            "clear.policy.low_risk.feedback",
            Type.BOOLEAN,
            false,
            "Send abuse feedback to the authenticated reporter when a report is judged Low Risk"),

    /** SPEC C5: the same for Unknown (no rule decided). */
    CLEAR_FEEDBACK_UNKNOWN(
            "clear.policy.unknown.feedback",
            Type.BOOLEAN,
            false,
            "Send abuse feedback to the authenticated reporter when a report is judged Unknown"),

    /**
     * SPEC C5: the template set whose {@code abuse-feedback-<disposition>} templates word the feedback. A set that
     * lacks the kind falls back to {@code default}; a set named here cannot be deleted.
     */
    CLEAR_FEEDBACK_TEMPLATE_SET(
            "clear.policy.feedback_template_set",
            Type.TEXT,
            "default",
            "Template set of the abuse feedback to reporters"),

    /** SPEC C5: whether an authenticated report judged Malicious closes its incident once its responses are queued. */
    CLEAR_CLOSE_MALICIOUS(
            "clear.policy.malicious.close",
            Type.BOOLEAN,
            false,
            "Close the incident when an authenticated report is judged Malicious"),

    /** SPEC C5: the same for Suspicious. */
    CLEAR_CLOSE_SUSPICIOUS(
            "clear.policy.suspicious.close",
            Type.BOOLEAN,
            false,
            "Close the incident when an authenticated report is judged Suspicious"),

    /** SPEC C5: the same for Bulk. */
    CLEAR_CLOSE_BULK(
            "clear.policy.bulk.close",
            Type.BOOLEAN,
            false,
            "Close the incident when an authenticated report is judged Bulk"),

    /** SPEC C5: the same for Low Risk. */
    CLEAR_CLOSE_LOW_RISK(
            "clear.policy.low_risk.close",
            Type.BOOLEAN,
            false,
            "Close the incident when an authenticated report is judged Low Risk");

    /** The kinds of values settings hold. */
    public enum Type {
        INTEGER,
        TEXT,
        DOMAINS,
        HEADER_NAMES,
        BOOLEAN,
        /** A list of {@code key=instance} strings: key an address, a domain or {@code *}. */
        ROUTES,
        EMAILS,
        /**
         * A header field written {@code Name: value} whose value is a shared secret, or empty for none. Clients set it
         * but never read it back: listings and the audit log show the name only ({@link #masked}).
         */
        SECRET_HEADER
    }

    /** What listings and the audit log show of a secret value instead of it. */
    public static final String MASK = "\u2022\u2022\u2022\u2022";

    private static final Pattern DOMAIN =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
                    + "[A-Za-z]{2,63}");
    private static final Pattern HEADER = Pattern.compile("[!-9;-~]{1,76}");
    private static final Pattern ADDRESS_LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}");
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    private static final int MAX_TEXT = 200;

    private final String key;
    private final Type type;
    private final Object defaultValue;
    private final String description;
    private final long min;
    private final long max;

    Setting(String key, Type type, Object defaultValue, String description) {
        this(key, type, defaultValue, description, 1, 50);
    }

    Setting(String key, Type type, Object defaultValue, String description, long min, long max) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.min = min;
        this.max = max;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Whether the value is a secret that is set but never shown. */
    public boolean secret() {
        return type == Type.SECRET_HEADER;
    }

    /**
     * The value as listings and the audit log may show it: unchanged for ordinary settings; for a secret header the
     * name followed by {@link #MASK} ({@code X-Report-Token: ••••}), or empty when none is set.
     */
    public Object masked(Object value) {
        if (!secret()) {
            return value;
        }
        String text = value == null ? "" : value.toString();
        int colon = text.indexOf(':');
        if (text.isEmpty()) {
            return "";
        }
        return colon > 0 ? text.substring(0, colon) + ": " + MASK : MASK;
    }

    public static Optional<Setting> byKey(String key) {
        for (Setting setting : values()) {
            if (setting.key.equals(key)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }

    /**
     * Checks and normalises a value from a client: integers in range, domains lower-cased and de-duplicated (a
     * comma-separated string is accepted as well as a list), header names checked for legal characters.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public Object normalize(Object value) {
        return switch (type) {
            case INTEGER -> integer(value);
            case TEXT -> text(value);
            case DOMAINS -> domains(value);
            case HEADER_NAMES -> headers(value);
            case BOOLEAN -> bool(value);
            case ROUTES -> routes(value);
            case EMAILS -> emails(value);
            case SECRET_HEADER -> secretHeader(value);
        };
    }

    /** {@code Name: value} with a legal field name and a non-empty single-line value; empty for none. */
    private static Object secretHeader(Object value) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("must be a string 'Header-Name: value', or empty for none");
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        int colon = trimmed.indexOf(':');
        String name = colon < 0 ? "" : trimmed.substring(0, colon);
        String secret = colon < 0 ? "" : trimmed.substring(colon + 1).strip();
        // The messages below never repeat the value: it is a secret.
        if (!HEADER.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "must be 'Header-Name: value' with a header name of printable ASCII characters other than ':'");
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("must be 'Header-Name: value' with a non-empty value");
        }
        if (secret.length() > MAX_TEXT || secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(
                    "must have a value of at most " + MAX_TEXT + " characters without control characters");
        }
        return name + ": " + secret;
    }

    private Object integer(Object value) {
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw new IllegalArgumentException("must be a whole number");
        }
        long n = number.longValue();
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return (int) n;
    }

    private static Object bool(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.valueOf((String) value);
        }
        throw new IllegalArgumentException("must be true or false");
    }

    private static Object routes(Object value) {
        List<String> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String item : strings(value, true)) {
            int eq = item.indexOf('=');
            if (eq < 1 || eq == item.length() - 1) {
                throw new IllegalArgumentException("'" + item + "' is not key=instance");
            }
            String routeKey = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String instance = item.substring(eq + 1).strip();
            String domain = routeKey.substring(routeKey.indexOf('@') + 1);
            boolean keyOk = routeKey.equals("*")
                    || (DOMAIN.matcher(domain).matches()
                            && (routeKey.indexOf('@') < 0
                                    || ADDRESS_LOCAL
                                            .matcher(routeKey.substring(0, routeKey.indexOf('@')))
                                            .matches()));
            if (!keyOk) {
                throw new IllegalArgumentException("'" + routeKey + "' is not an address, a domain or *");
            }
            if (!INSTANCE.matcher(instance).matches()) {
                throw new IllegalArgumentException(
                        "'" + instance + "' is not an instance id (letters, digits, '.', '_', '-'; at most 40)");
            }
            if (keys.contains(routeKey)) {
                throw new IllegalArgumentException("'" + routeKey + "' is routed twice");
            }
            keys.add(routeKey);
            out.add(routeKey + "=" + instance);
        }
        return List.copyOf(out);
    }

    private Object text(Object value) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("must be a string");
        }
        String trimmed = text.strip();
        if (trimmed.length() > MAX_TEXT || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("must be at most " + MAX_TEXT + " characters without line breaks");
        }
        return trimmed;
    }

    private Object domains(Object value) {
        List<String> items = strings(value, true);
        List<String> out = new ArrayList<>();
        for (String item : items) {
            String domain = item.toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(domain).matches()) {
                throw new IllegalArgumentException("'" + item + "' is not a domain name");
            }
            if (!out.contains(domain)) {
                out.add(domain);
            }
        }
        return List.copyOf(out);
    }

    private Object emails(Object value) {
        List<String> out = new ArrayList<>();
        for (String item : strings(value, true)) {
            if (!EMAIL.matcher(item).matches()) {
                throw new IllegalArgumentException("'" + item + "' is not an e-mail address");
            }
            if (out.stream().noneMatch(item::equalsIgnoreCase)) {
                out.add(item);
            }
        }
        return List.copyOf(out);
    }

    private Object headers(Object value) {
        List<String> out = new ArrayList<>();
        for (String item : strings(value, false)) {
            if (!HEADER.matcher(item).matches()) {
                throw new IllegalArgumentException("'" + item + "' is not a header name");
            }
            if (out.stream().noneMatch(item::equalsIgnoreCase)) {
                out.add(item);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> strings(Object value, boolean commaSeparated) {
        List<String> items = new ArrayList<>();
        if (value instanceof String text && commaSeparated) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    items.add(part.strip());
                }
            }
            return items;
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    commaSeparated
                            ? "must be a list of strings or a comma-separated string"
                            : "must be a list of strings");
        }
        for (Object item : list) {
            if (!(item instanceof String text) || text.isBlank()) {
                throw new IllegalArgumentException("every item must be a non-empty string");
            }
            items.add(text.strip());
        }
        return items;
    }
}
