package org.sluice.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sluice.api.incident.Activity;

/**
 * Who was told about an incident (SPEC N4): the {@code user_notified} entries of its activity, which the core writes
 * after each notice was sent, as structured items for the console's collapsible list and for both APIs.
 */
public final class Notified {

    /** The activity kind the core records after a notice to a user was sent. */
    public static final String KIND = "user_notified";

    private static final Pattern DETAIL =
            Pattern.compile("(\\S+) notified of (\\S+) with template (\\S+) \\(notification job (\\d+)\\)");

    private Notified() {}

    /** The users told, oldest first: {@code user}, {@code action}, {@code template}, {@code job_id}, {@code at}. */
    public static List<Map<String, Object>> of(List<Activity> activity) {
        return activity.stream()
                .filter(a -> KIND.equals(a.kind()))
                .map(Notified::entry)
                .flatMap(Optional::stream)
                .toList();
    }

    private static Optional<Map<String, Object>> entry(Activity a) {
        Matcher m = a.detail() == null ? null : DETAIL.matcher(a.detail());
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", m.group(1));
        out.put("action", m.group(2));
        out.put("template", m.group(3));
        out.put("job_id", Long.parseLong(m.group(4)));
        out.put("at", Times.format(a.at()));
        return Optional.of(out);
    }
}
