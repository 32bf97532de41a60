package org.sluice.api.notify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.security.Actor;

/**
 * Tells end users about a response taken on their mail (SPEC N2). Implemented by the core; called by the manual
 * quarantine and undo endpoints, single incident or bulk.
 *
 * <p>Each affected user gets exactly one notice per call, listing all of their messages, however many incidents the
 * call covers. Notices are rendered at once (so a bad template fails the call, not a later send) and queued as jobs
 * of the response queue type {@link #JOB_TYPE}: they get the queue's retries and history, a stable Message-ID built
 * from the job id, and, once sent, an entry in the activity of every incident they concern.
 */
@ProviderType
public interface NotificationService {

    /** The response queue type of notification jobs. */
    String JOB_TYPE = "notify";

    /** The response that was taken and that the notice reports. */
    enum Action {
        QUARANTINE("quarantine"),
        UNDO("undo-quarantine"),
        /** A report was classified: the reporter is told the disposition (SPEC C5); see {@link #notifyReporter}. */
        ABUSE_FEEDBACK("abuse-feedback-unknown");

        private final String defaultKind;

        Action(String defaultKind) {
            this.defaultKind = defaultKind;
        }

        /** The template kind used when the caller names none. */
        public String defaultKind() {
            return defaultKind;
        }
    }

    /**
     * Which template to use.
     *
     * @param setId the template set ({@code default}); {@code null} for the default set
     * @param kind the template kind ({@code quarantine}); {@code null} for the action's {@link Action#defaultKind()}
     */
    record TemplateRef(String setId, String kind) {}

    /**
     * One message of an affected user, as shown in the notice. All text comes from the attacker's mail and is treated
     * as data.
     *
     * @param incidentId the incident the message belongs to
     * @param subject the message's subject, or {@code null}
     * @param sender the sender as shown (display name and address), or {@code null}
     * @param date when the message was sent or received, or {@code null}
     * @param urls URLs found in the message; shown defanged, never as links
     */
    record AffectedMessage(long incidentId, String subject, String sender, Instant date, List<String> urls) {
        public AffectedMessage {
            urls = urls == null ? List.of() : List.copyOf(urls);
        }
    }

    /**
     * One user to tell.
     *
     * @param address the user's e-mail address
     * @param name the user's display name, or {@code null}
     * @param messages the user's messages the action touched; at least one
     */
    record Recipient(String address, String name, List<AffectedMessage> messages) {
        public Recipient {
            Objects.requireNonNull(address, "address");
            messages = List.copyOf(messages);
        }
    }

    /**
     * A request to tell users about one action.
     *
     * @param template the template; {@code null} for the default set and the action's default kind
     * @param action what was done
     * @param incidentIds the incidents the action covered (one, or several for a bulk action)
     * @param recipients the affected users; an address listed twice is told once, about all of its messages
     */
    record Notice(TemplateRef template, Action action, List<Long> incidentIds, List<Recipient> recipients) {
        public Notice {
            Objects.requireNonNull(action, "action");
            incidentIds = List.copyOf(incidentIds);
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * Renders and queues one notice per affected user.
     *
     * @return the queued jobs, one per distinct recipient address
     * @throws org.sluice.api.error.ValidationException for an invalid address or a recipient without messages,
     *     naming it
     * @throws org.sluice.api.error.NotFoundException for an unknown template set or kind
     */
    List<ResponseJob> notifyUsers(Notice notice, Actor actor);

    /**
     * Abuse feedback for one report (SPEC C5): the reporter is told what their reported message was judged to be.
     *
     * @param setId the template set; {@code null} for {@code default}. A set without the disposition's kind falls
     *     back to {@code default}.
     * @param disposition the disposition's template suffix: {@code malicious}, {@code suspicious}, {@code bulk},
     *     {@code low-risk} or {@code unknown}; the kind rendered is {@code abuse-feedback-<disposition>}
     * @param incidentId the incident the report was filed on
     * @param reporter the authenticated reporter's address; never an unauthenticated one
     * @param message the reported message as shown to the reporter
     * @param reportKey identifies the report (its SHA-256): one report gets at most one feedback
     */
    record Feedback(
            String setId,
            String disposition,
            long incidentId,
            String reporter,
            AffectedMessage message,
            String reportKey) {
        public Feedback {
            Objects.requireNonNull(disposition, "disposition");
            Objects.requireNonNull(reporter, "reporter");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(reportKey, "reportKey");
        }
    }

    /**
     * Renders and queues the abuse feedback of one report, like {@link #notifyUsers}: a job of type {@link
     * #JOB_TYPE} with a stable Message-ID, the queue's retries and history, and once sent a {@code user_notified}
     * entry in the incident's activity.
     *
     * @return the queued job, or empty when feedback for the same report key was queued before (a report handed in
     *     again)
     * @throws org.sluice.api.error.ValidationException for an invalid reporter address
     */
    Optional<ResponseJob> notifyReporter(Feedback feedback, Actor actor);
}
