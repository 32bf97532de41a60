package org.sluice.core.internal.quarantine;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sluice.api.mailbox.CopyQuery;

/**
 * The parameters of queued quarantine and undo jobs, by name, and the search they describe. Stored with each job, so
 * their names never change.
 */
final class QuarantineParams {

    static final String MESSAGE_ID = "message_id";
    static final String SENDER = "sender";
    static final String SUBJECT = "subject";
    static final String RECEIVED_FROM = "received_from";
    static final String RECEIVED_TO = "received_to";
    static final String RECIPIENT_TYPE = "recipient_type";
    static final String ALERT_SOURCE = "alert_source";
    static final String NOT_FOUND_UNTIL = "not_found_until";
    static final String REQUEST = "request";
    static final String ENTRY = "entry";

    private QuarantineParams() {}

    /** The search parameters of a job, for storing with the copies it found. */
    static Map<String, String> query(Map<String, String> job) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : new String[] {MESSAGE_ID, SENDER, SUBJECT, RECEIVED_FROM, RECEIVED_TO}) {
            if (job.get(key) != null) {
                out.put(key, job.get(key));
            }
        }
        return out;
    }

    /** The search a job's parameters describe, capped at {@code maxCopies}. */
    static CopyQuery copyQuery(Map<String, String> job, int maxCopies) {
        return new CopyQuery(
                job.get(MESSAGE_ID),
                job.get(SENDER),
                job.get(SUBJECT),
                instant(job.get(RECEIVED_FROM)),
                instant(job.get(RECEIVED_TO)),
                maxCopies);
    }

    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
