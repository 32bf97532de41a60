package org.sluice.api.incident;

import java.time.Instant;
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

    /**
     * Alerts of one source type received in a window, newest first.
     *
     * @param sourceType the source type ({@code clear})
     * @param receivedFrom at or after this, or {@code null}
     * @param receivedTo before this, or {@code null}
     * @param limit the most alerts to return (1 to 10,000)
     */
    List<Alert> alertsBySource(String sourceType, Instant receivedFrom, Instant receivedTo, int limit);

    List<Comment> comments(long incidentId);

    List<Activity> activity(long incidentId);

    /** Adds a comment; {@code detail} may be {@code null}. */
    Comment addComment(long incidentId, String text, String detail, Actor actor);

    /** Closes several incidents at once, all or none; every one must be open. */
    List<Incident> closeAll(List<Long> incidentIds, String summary, String detail, Actor actor);

    /**
     * Sets team and assignee; an incident in state {@code new} or {@code open} becomes {@code assigned}. Fails with
     * {@link org.sluice.api.error.ConflictException} when both are what they were already.
     */
    Incident assign(long incidentId, String team, String assignee, Actor actor);

    /** Adds users to an incident; a user already there in the same role is not added twice. */
    List<IncidentUser> addUsers(long incidentId, List<IncidentUser> users, Actor actor);

    List<IncidentUser> users(long incidentId);

    /**
     * Sets named incident field values (Classification, Attack Vector, Severity, Abuse Disposition, Sub Disposition,
     * or others). A field that has a value keeps it unless {@code override} is set; a {@code null} value clears the
     * field only with {@code override}.
     *
     * @return the incident's field values afterwards, by name, in a stable order
     */
    java.util.Map<String, String> setFields(
            long incidentId, java.util.Map<String, String> values, boolean override, Actor actor);

    /** The incident's field values, by name, in a stable order: the standard fields first, then the others. */
    java.util.Map<String, String> fields(long incidentId);

    /** Closes an open incident; its link key is released so that a later alert opens a new incident. */
    Incident close(long incidentId, String summary, String detail, Actor actor);

    /** Replaces the description, or appends to it with a newline when {@code append} is set. */
    Incident updateDescription(long incidentId, String text, boolean append, Actor actor);
}
