package org.sluice.core.internal.notify;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sluice.api.incident.Incident;
import org.sluice.api.notify.NotificationService.Action;
import org.sluice.api.notify.NotificationService.AffectedMessage;

/**
 * Builds the plain-map models templates are rendered with. Every value taken from mail (subjects, senders, URLs,
 * incident summaries, which quote alerts) passes through {@link MailText}: one line, URLs defanged. The placeholders
 * are documented in the default template set's README.
 */
final class Models {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Models() {}

    /** The model of a notice to an end user about a quarantine or undo. */
    static Map<String, Object> userNotice(
            Action action, String address, String name, List<AffectedMessage> messages, List<Long> incidentIds) {
        Map<String, Object> model = new LinkedHashMap<>();
        Map<String, Object> recipient = new LinkedHashMap<>();
        recipient.put("address", MailText.line(address));
        recipient.put("name", name == null || name.isBlank() ? MailText.line(address) : MailText.mailLine(name));
        model.put("recipient", recipient);

        Map<String, Object> act = new LinkedHashMap<>();
        act.put(
                "name",
                switch (action) {
                    case QUARANTINE -> "quarantine";
                    case UNDO -> "undo";
                    case ABUSE_FEEDBACK -> "abuse-feedback";
                });
        act.put("quarantine", action == Action.QUARANTINE);
        act.put("undo", action == Action.UNDO);
        act.put("feedback", action == Action.ABUSE_FEEDBACK);
        model.put("action", act);

        List<Map<String, Object>> list = new ArrayList<>();
        for (AffectedMessage message : messages) {
            list.add(message(message));
        }
        model.put("messages", list);
        model.put("message", list.isEmpty() ? Map.of() : list.get(0));
        model.put("count", String.valueOf(list.size()));
        model.put("many", list.size() > 1);

        List<Map<String, Object>> incidents = new ArrayList<>();
        for (Long id : incidentIds) {
            incidents.add(Map.of("id", String.valueOf(id)));
        }
        model.put("incidents", incidents);
        model.put("incident", incidents.isEmpty() ? Map.of() : incidents.get(0));
        model.put("disposition", Map.of("name", ""));
        return model;
    }

    static Map<String, Object> message(AffectedMessage message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", MailText.mailLine(message.subject()));
        m.put("sender", MailText.mailLine(message.sender()));
        m.put("date", message.date() == null ? "" : date(message.date()));
        m.put("incident_id", String.valueOf(message.incidentId()));
        List<Map<String, Object>> urls = new ArrayList<>();
        for (String url : message.urls()) {
            urls.add(Map.of("url", MailText.defang(MailText.line(url))));
        }
        m.put("urls", urls);
        m.put("has_urls", !urls.isEmpty());
        return m;
    }

    /** The model of an incident as SOC notices show it. */
    static Map<String, Object> incident(Incident incident) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", String.valueOf(incident.id()));
        m.put("summary", MailText.mailLine(incident.summary()));
        m.put("state", incident.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("severity", incident.severity().name().toLowerCase(java.util.Locale.ROOT));
        m.put("alerts", String.valueOf(incident.alertCount()));
        return m;
    }

    static String date(Instant at) {
        return DATE.format(at);
    }
}
