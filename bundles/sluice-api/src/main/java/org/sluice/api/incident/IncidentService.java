package org.sluice.api.incident;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.security.Actor;

/**
 * The incident engine. Implemented by the core; used by alert sources, the REST API, the console and the shell.
 *
 * <p>All methods are thread-safe and may block on the database. Every change is recorded in the incident's activity
 * and in the audit log with the given actor. Methods throw {@link org.sluice.api.error.NotFoundException} for an
 * unknown incident and {@link org.sluice.api.error.ConflictException} for a change the state does not allow.
 */
@ProviderType
public interface IncidentService {

    /**
     * Stores an alert and links it: it joins the open incident with the same link key, or opens a new one. Linking is
     * atomic across threads and nodes: alerts submitted at the same time with the same key end in one incident.
     */
    AlertReceipt submitAlert(NewAlert alert, Actor actor);

    Page<Incident> find(IncidentQuery query);

    Optional<Incident> get(long incidentId);

    List<Alert> alerts(long incidentId);

    Optional<Alert> alert(long alertId);

    List<Comment> comments(long incidentId);

    List<Activity> activity(long incidentId);

    Comment addComment(long incidentId, String text, Actor actor);

    /** Closes an open incident; its link key is released so that a later alert opens a new incident. */
    Incident close(long incidentId, String summary, String detail, Actor actor);

    /** Replaces the description, or appends to it with a newline when {@code append} is set. */
    Incident updateDescription(long incidentId, String text, boolean append, Actor actor);
}
