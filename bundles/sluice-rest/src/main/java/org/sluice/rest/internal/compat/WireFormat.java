package org.sluice.rest.internal.compat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.Comment;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentState;
import org.sluice.api.incident.IncidentUser;
import org.sluice.api.incident.Severity;
import org.sluice.api.quarantine.QuarantineService;
import org.sluice.api.quarantine.QuarantineService.QuarantineResult;
import org.sluice.rest.internal.Times;

/**
 * Sluice's incidents in the reference product's wire format: its field names, its strings ({@code Open}, {@code
 * Critical}, {@code Unassigned}), timestamps in UTC with a {@code Z} at second precision, and every key always
 * present ({@code null} or empty when there is nothing to say).
 */
final class WireFormat {

    private WireFormat() {}

    static String time(Instant instant) {
        return Times.format(instant);
    }

    static String state(IncidentState state) {
        String lower = state.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** The incident field "Severity" in the reference's words. */
    static String incidentSeverity(Severity severity) {
        return switch (severity) {
            case INFORMATIONAL -> "Informational";
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
            case CRITICAL -> "Critical";
        };
    }

    /** An event's severity in the reference's words. */
    static String eventSeverity(Severity severity) {
        return switch (severity) {
            case INFORMATIONAL -> "Info";
            case LOW -> "Minor";
            case MEDIUM -> "Moderate";
            case HIGH -> "Major";
            case CRITICAL -> "Critical";
        };
    }

    /** A score that orders incidents as their severity does, on the reference's scale. */
    static int score(Severity severity) {
        return switch (severity) {
            case INFORMATIONAL -> 0;
            case LOW -> 200;
            case MEDIUM -> 1000;
            case HIGH -> 4000;
            case CRITICAL -> 5200;
        };
    }

    static Map<String, Object> incident(
            Incident incident,
            List<Alert> alerts,
            List<Comment> comments,
            List<IncidentUser> users,
            Map<String, String> fields,
            List<QuarantineResult> quarantineResults,
            QuarantineService.Counts counts,
            boolean expandEvents) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", incident.id());
        m.put("type", fields.get("Classification"));
        m.put("summary", nullToEmpty(incident.summary()));
        m.put("description", nullToEmpty(incident.description()));
        m.put("score", score(incident.severity()));
        m.put("state", state(incident.state()));
        m.put("created_at", time(incident.createdAt()));
        m.put("updated_at", time(incident.updatedAt()));
        m.put("closed_at", time(incident.closedAt()));
        m.put("close_summary", incident.closeSummary());
        m.put("close_detail", incident.closeDetail());
        m.put("event_count", alerts.size());
        m.put("false_positive_count", expandEvents ? 0 : null);
        m.put("event_sources", eventSources(alerts));
        m.put(
                "users",
                users.stream()
                        .filter(u -> u.role() == IncidentUser.Role.TARGET || u.role() == IncidentUser.Role.REPORTER)
                        .map(IncidentUser::username)
                        .distinct()
                        .toList());
        m.put("assignee", incident.assignee() == null ? "Unassigned" : incident.assignee());
        m.put("team", incident.team() == null ? "Unassigned" : incident.team());
        m.put("hosts", Hosts.of(alerts));
        m.put("incident_field_values", fieldValues(incident, fields));
        m.put("events", expandEvents ? alerts.stream().map(Events::event).toList() : null);
        m.put("event_ids", expandEvents ? null : alerts.stream().map(Alert::id).toList());
        m.put("comments", comments.stream().map(WireFormat::comment).toList());
        m.put(
                "quarantine_results",
                quarantineResults.stream()
                        .map(WireFormat::quarantineResult)
                        .filter(java.util.Objects::nonNull)
                        .toList());
        m.put("successful_quarantines", counts.successful());
        m.put("failed_quarantines", counts.failed());
        m.put("pending_quarantines", counts.pending());
        return m;
    }

    /**
     * One copy's result in the reference's shape: {@code status} {@code successful} or {@code failed} with {@code
     * details} {@code Success} or {@code Failed}; {@code isRead} and {@code wasUndone} as the strings
     * {@code "true"} and {@code "false"}; times with milliseconds; the Message-ID in angle brackets. A copy whose
     * removal is still under way is left out (it counts in {@code pending_quarantines}). {@code isRead} is the
     * read state the connector saw when it found the copy, {@code "false"} when it did not report one.
     */
    static Map<String, Object> quarantineResult(QuarantineResult r) {
        boolean failed = r.status().equals("failed");
        if (!failed && r.status().equals("vaulted")) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alertSource", r.alertSource() == null ? "Not Available" : r.alertSource());
        m.put("startTime", millis(r.startedAt()));
        m.put("endTime", millis(r.endedAt() != null ? r.endedAt() : r.startedAt()));
        m.put("status", failed ? "failed" : "successful");
        m.put("recipientType", r.recipientType());
        m.put("recipient", r.mailbox());
        m.put("messageId", r.messageId() == null ? null : "<" + r.messageId() + ">");
        m.put("isRead", String.valueOf(Boolean.TRUE.equals(r.read())));
        m.put("wasUndone", String.valueOf(r.undoneAt() != null || r.status().equals("restored")));
        m.put("details", failed ? "Failed" : "Success");
        return m;
    }

    private static final java.time.format.DateTimeFormatter MILLIS = java.time.format.DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    /** ISO-8601 in UTC with milliseconds, as the reference writes quarantine times; {@code null} stays null. */
    static String millis(Instant instant) {
        return instant == null ? null : MILLIS.format(instant);
    }

    /** The standard fields always, each with its name; the incident's severity when no source set the field. */
    private static List<Map<String, Object>> fieldValues(Incident incident, Map<String, String> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Classification", fields.get("Classification"));
        values.put("Attack Vector", fields.get("Attack Vector"));
        values.put("Severity", fields.getOrDefault("Severity", incidentSeverity(incident.severity())));
        values.put("Abuse Disposition", fields.get("Abuse Disposition"));
        fields.forEach(values::putIfAbsent);
        List<Map<String, Object>> out = new ArrayList<>();
        values.forEach((name, value) -> {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("name", name);
            field.put("value", value);
            out.add(field);
        });
        return out;
    }

    private static List<String> eventSources(List<Alert> alerts) {
        Set<String> names = new LinkedHashSet<>();
        for (Alert alert : alerts) {
            names.add(sourceName(alert));
        }
        return List.copyOf(names);
    }

    /**
     * The name of an alert's source for people: the payload's {@code source_name} when the source gave one (CLEAR
     * does: "CLEAR Upload", or the abuse mailbox's name), else the source's instance, else its type.
     */
    static String sourceName(Alert alert) {
        if (alert.data().get("source_name") instanceof String name && !name.isBlank()) {
            return name;
        }
        return alert.sourceInstance() != null ? alert.sourceInstance() : alert.sourceType();
    }

    static Map<String, Object> comment(Comment c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", c.author());
        m.put("comment", c.text());
        m.put("commented_on", time(c.createdAt()));
        return m;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
