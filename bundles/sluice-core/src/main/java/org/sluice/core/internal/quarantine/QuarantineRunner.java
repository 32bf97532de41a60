package org.sluice.core.internal.quarantine;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.fault.CrashPoints;
import org.sluice.api.mail.MessageIds;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.response.ResponseRequest;
import org.sluice.api.settings.Setting;
import org.sluice.api.settings.SettingsService;
import org.sluice.core.internal.db.Database;
import org.sluice.core.internal.db.Json;
import org.sluice.core.internal.plugin.IsolatedCalls;

/**
 * One attempt of a quarantine (all copies of a message in one mailbox) or of an undo (one vaulted copy), as run by the
 * response types the core registers per connector instance. Every connector call goes through {@link IsolatedCalls}
 * with its own timeout. Both check before they act, so a repeated attempt after a crash changes nothing twice.
 *
 * <p>Quarantine: search; store each copy's raw bytes in the raw-mail store and record the vault entry; only then
 * remove it. A copy vaulted earlier and no longer found counts as removed. Nothing found is retried until the job's
 * not-found deadline or its last attempt, then ends as not found. Undo: mark the entry as restoring, look whether the
 * copy is back in its folder already (a crash after re-inserting), and otherwise re-insert the vaulted bytes.
 */
final class QuarantineRunner {

    private final Logger logger = LoggerFactory.getLogger(QuarantineRunner.class);

    private final Vault vault;
    private final RawMailStore rawMail;
    private final SettingsService settings;
    private final ResponseQueue queue;
    private final IsolatedCalls calls;
    private final Duration callTimeout;
    private final Supplier<Clock> clock;

    QuarantineRunner(
            Vault vault,
            RawMailStore rawMail,
            SettingsService settings,
            ResponseQueue queue,
            IsolatedCalls calls,
            Duration callTimeout,
            Supplier<Clock> clock) {
        this.vault = vault;
        this.rawMail = rawMail;
        this.settings = settings;
        this.queue = queue;
        this.calls = calls;
        this.callTimeout = callTimeout;
        this.clock = clock;
    }

    /** A connector call that did not give a usable answer, with the outcome the attempt ends with. */
    static final class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ResponseOutcome outcome;

        CallFailed(ResponseOutcome outcome) {
            super(outcome.detail(), null, false, false);
            this.outcome = outcome;
        }
    }

    private <T> T call(String what, Callable<T> work) throws CallFailed {
        if (Thread.currentThread().isInterrupted()) {
            // The attempt timed out or the node is stopping: start nothing new; the next attempt checks again.
            throw new CallFailed(ResponseOutcome.retryable(null, "attempt interrupted before " + what, null));
        }
        IsolatedCalls.Outcome<T> outcome = calls.call(work, callTimeout);
        if (outcome.ok()) {
            return outcome.value();
        }
        if (outcome.cause() instanceof MailboxException failure) {
            ResponseOutcome o = failure.outcome();
            throw new CallFailed(
                    new ResponseOutcome(o.status(), o.providerStatus(), what + ": " + o.detail(), o.retryAfter()));
        }
        throw new CallFailed(ResponseOutcome.retryable(null, what + " " + outcome.failure(), null));
    }

    private Instant now() {
        return clock.get().instant();
    }

    ResponseOutcome quarantine(ResponseRequest request, MailboxConnector connector) {
        Map<String, String> job = request.parameters();
        String mailbox = request.target();
        int maxCopies = (Integer) settings.get(Setting.QUARANTINE_MAX_COPIES);
        boolean includeSent = (Boolean) settings.get(Setting.QUARANTINE_INCLUDE_SENDER_SENT);
        String sender = job.get(QuarantineParams.SENDER);
        List<MailboxCopy> found;
        try {
            found = call("search", () -> connector.findCopies(mailbox, QuarantineParams.copyQuery(job, maxCopies)));
        } catch (CallFailed e) {
            return e.outcome;
        }
        List<MailboxCopy> copies = new ArrayList<>();
        int skippedSent = 0;
        for (MailboxCopy copy : found) {
            if (!includeSent && mailbox.equalsIgnoreCase(sender) && SentFolders.isSent(copy.folder())) {
                skippedSent++;
            } else if (copies.size() < maxCopies) {
                copies.add(copy);
            }
        }
        List<QuarantineEntryEntity> earlier = vault.byJob(request.jobId());
        // A copy vaulted by an earlier attempt and not found now has been removed (the node may have died before it
        // recorded the removal).
        int confirmed = 0;
        for (QuarantineEntryEntity entry : earlier) {
            if (entry.status.equals(QuarantineEntryEntity.VAULTED)
                    && copies.stream().noneMatch(c -> same(entry, c))) {
                vault.update(entry.id, QuarantineEntryEntity.QUARANTINED, "gone on re-check", now(), null, null);
                confirmed++;
            }
        }
        long alreadyOut = earlier.stream()
                        .filter(e -> e.status.equals(QuarantineEntryEntity.QUARANTINED))
                        .count()
                + confirmed;
        if (copies.isEmpty()) {
            if (alreadyOut > 0) {
                return ResponseOutcome.alreadyDone(alreadyOut + " copies in quarantine");
            }
            if (vault.quarantinedElsewhere(request.incidentId(), mailbox, job.get(QuarantineParams.MESSAGE_ID)) > 0) {
                return ResponseOutcome.alreadyDone("already quarantined by an earlier request");
            }
            String sent = skippedSent > 0 ? " (" + skippedSent + " in the sender's Sent folder left alone)" : "";
            Duration lookAgainIn = skippedSent == 0 ? lookAgainIn(request, job) : null;
            if (lookAgainIn != null) {
                return ResponseOutcome.retryable("not-found", "not found yet; looking again later", lookAgainIn);
            }
            return ResponseOutcome.notFound("no copy in " + mailbox + sent);
        }
        String messageId = job.get(QuarantineParams.MESSAGE_ID);
        int done = 0;
        ResponseOutcome retry = null;
        ResponseOutcome permanent = null;
        // First every copy goes into the vault, then all are removed at once: a connector may remove several in one
        // round trip (Graph's $batch), and nothing leaves a mailbox before its bytes are kept.
        Map<MailboxCopy, QuarantineEntryEntity> vaulted = new LinkedHashMap<>();
        for (MailboxCopy copy : copies) {
            if (Thread.currentThread().isInterrupted()) {
                return ResponseOutcome.retryable(null, "attempt interrupted after vaulting " + vaulted.size(), null);
            }
            QuarantineEntryEntity entry = earlier.stream()
                    .filter(e -> same(e, copy) && !e.status.equals(QuarantineEntryEntity.FAILED))
                    .findFirst()
                    .orElse(null);
            if (entry == null) {
                Instant started = now();
                String sha;
                try {
                    sha = call("read", () -> {
                        try (InputStream raw = connector.openRaw(copy)) {
                            return rawMail.store(raw).sha256();
                        }
                    });
                } catch (CallFailed e) {
                    retry = worse(retry, permanent, e.outcome);
                    permanent = e.outcome.status() == ResponseOutcome.Status.PERMANENT_FAILURE ? e.outcome : permanent;
                    continue;
                }
                String copyId = copy.internetMessageId() == null
                        ? messageId
                        : MessageIds.normalize(copy.internetMessageId()).orElse(messageId);
                entry = vault.vaulted(
                        request.jobId(), request.incidentId(), connector.instanceId(), copy, copyId, sha, job, started);
                CrashPoints.reach("quarantine.after-vault");
            }
            vaulted.put(copy, entry);
        }
        Map<MailboxCopy, ResponseOutcome> removals = remove(connector, new ArrayList<>(vaulted.keySet()));
        for (Map.Entry<MailboxCopy, QuarantineEntryEntity> each : vaulted.entrySet()) {
            QuarantineEntryEntity entry = each.getValue();
            ResponseOutcome removed = removals.get(each.getKey());
            CrashPoints.reach("quarantine.after-remove");
            switch (removed.status()) {
                case DONE, ALREADY_DONE, NOT_FOUND -> {
                    vault.update(entry.id, QuarantineEntryEntity.QUARANTINED, removed.detail(), now(), null, null);
                    done++;
                }
                case RETRYABLE -> retry = worse(retry, null, removed);
                case PERMANENT_FAILURE -> {
                    vault.update(entry.id, QuarantineEntryEntity.FAILED, removed.detail(), now(), null, null);
                    permanent = removed;
                }
            }
        }
        logger.debug("Quarantine job '{}': {} of {} copies removed", request.jobId(), done, copies.size());
        if (retry != null) {
            return retry;
        }
        if (permanent != null) {
            return new ResponseOutcome(
                    ResponseOutcome.Status.PERMANENT_FAILURE,
                    permanent.providerStatus(),
                    done + " of " + copies.size() + " copies removed; " + permanent.detail(),
                    null);
        }
        return ResponseOutcome.done((done + alreadyOut) + " copies in quarantine");
    }

    /**
     * Removes vaulted copies: all at once through {@link MailboxConnector#removeAll} where the connector removes in
     * bulk, else one by one, starting no further removal once the attempt is interrupted. Every copy gets an outcome;
     * a failed call is the outcome of each copy it was for.
     */
    private Map<MailboxCopy, ResponseOutcome> remove(MailboxConnector connector, List<MailboxCopy> copies) {
        Map<MailboxCopy, ResponseOutcome> outcomes = new LinkedHashMap<>();
        if (copies.size() > 1 && connector.removesInBulk()) {
            try {
                outcomes.putAll(call("remove", () -> connector.removeAll(copies)));
            } catch (CallFailed e) {
                copies.forEach(copy -> outcomes.put(copy, e.outcome));
            }
        } else {
            for (MailboxCopy copy : copies) {
                try {
                    outcomes.put(copy, call("remove", () -> connector.remove(copy)));
                } catch (CallFailed e) {
                    outcomes.put(copy, e.outcome);
                }
            }
        }
        for (MailboxCopy copy : copies) {
            outcomes.computeIfAbsent(
                    copy, c -> ResponseOutcome.retryable(null, "remove: the connector answered nothing for it", null));
        }
        return outcomes;
    }

    /** The retryable outcome with the longest wait; a permanent failure is kept apart by the caller. */
    private static ResponseOutcome worse(ResponseOutcome current, ResponseOutcome ignored, ResponseOutcome next) {
        if (next.status() != ResponseOutcome.Status.RETRYABLE) {
            return current;
        }
        if (current == null) {
            return next;
        }
        Duration a = current.retryAfter() == null ? Duration.ZERO : current.retryAfter();
        Duration b = next.retryAfter() == null ? Duration.ZERO : next.retryAfter();
        return b.compareTo(a) > 0 ? next : current;
    }

    /**
     * When to look for a copy not found yet, or {@code null} when the not-found window is over or no attempt is left.
     * The attempts left are spread over the rest of the window (the back-off schedule applies when it asks for a
     * longer wait), so that the last one looks at the window's end rather than the attempts running out early.
     */
    private Duration lookAgainIn(ResponseRequest request, Map<String, String> job) {
        String until = job.get(QuarantineParams.NOT_FOUND_UNTIL);
        if (until == null) {
            return null;
        }
        Duration left = Duration.between(now(), Instant.ofEpochMilli(Long.parseLong(until)));
        int maxAttempts =
                queue.get(request.jobId()).map(ResponseJob::maxAttempts).orElse(0);
        int attemptsLeft = maxAttempts - request.attempt();
        if (left.isNegative() || left.isZero() || attemptsLeft < 1) {
            return null;
        }
        return left.dividedBy(attemptsLeft);
    }

    private static boolean same(QuarantineEntryEntity entry, MailboxCopy copy) {
        return entry.folder.equals(copy.folder()) && entry.providerId.equals(copy.providerId());
    }

    ResponseOutcome undo(ResponseRequest request, MailboxConnector connector) {
        long entryId = Long.parseLong(request.parameters().get(QuarantineParams.ENTRY));
        QuarantineEntryEntity entry = vault.find(entryId);
        if (entry == null) {
            return ResponseOutcome.permanentFailure(null, "vault entry " + entryId + " does not exist");
        }
        if (entry.status.equals(QuarantineEntryEntity.RESTORED)) {
            return ResponseOutcome.alreadyDone("restored as " + entry.restoredProviderId);
        }
        if (!entry.status.equals(QuarantineEntryEntity.QUARANTINED)
                && !entry.status.equals(QuarantineEntryEntity.RESTORING)) {
            return ResponseOutcome.permanentFailure(null, "the copy is " + entry.status + ", not in quarantine");
        }
        if (entry.status.equals(QuarantineEntryEntity.RESTORING)) {
            // An earlier attempt may have put the copy back and died before recording it. A copy in the folder counts
            // as this entry's only when no other entry owns it: the folder may hold several copies of the message.
            Map<String, String> stored = Json.readStrings(entry.queryJson);
            Map<String, String> query = stored == null ? Map.of() : stored;
            List<MailboxCopy> back;
            try {
                back = call("search", () -> connector.findCopies(entry.mailbox, QuarantineParams.copyQuery(query, 50)));
            } catch (CallFailed e) {
                return e.outcome;
            }
            Set<String> taken = vault.idsTakenBesides(entry);
            for (MailboxCopy copy : back) {
                if (copy.folder().equals(entry.folder) && !taken.contains(copy.providerId())) {
                    if (claim(entryId, copy.providerId(), "found back in its folder")) {
                        return ResponseOutcome.alreadyDone("restored as " + copy.providerId());
                    }
                }
            }
        } else {
            vault.update(entryId, QuarantineEntryEntity.RESTORING, "restoring", null, null, null);
        }
        CrashPoints.reach("quarantine.before-reinsert");
        ResponseOutcome outcome;
        try {
            outcome = call("re-insert", () -> {
                try (InputStream raw = rawMail.open(entry.rawSha256)) {
                    return connector.reinsert(entry.mailbox, entry.folder, raw);
                }
            });
        } catch (CallFailed e) {
            outcome = e.outcome;
        }
        CrashPoints.reach("quarantine.after-reinsert");
        if (outcome.succeeded() && MailboxConnector.NO_PROVIDER_ID.equals(outcome.providerStatus())) {
            vault.update(entryId, QuarantineEntryEntity.RESTORED, outcome.detail(), null, now(), null);
        } else if (outcome.succeeded()) {
            if (!claim(entryId, outcome.detail(), "restored")) {
                // Another entry's check took the new copy for its own before this attempt recorded it; that entry's
                // copy is then the one left over, and the next attempt finds it.
                return ResponseOutcome.retryable(null, "the re-inserted copy was claimed by another entry", null);
            }
        } else if (outcome.status() == ResponseOutcome.Status.PERMANENT_FAILURE) {
            vault.update(
                    entryId, QuarantineEntryEntity.QUARANTINED, "undo failed: " + outcome.detail(), null, null, null);
        }
        return outcome;
    }

    private boolean claim(long entryId, String restoredId, String detail) {
        try {
            return vault.claimRestored(entryId, restoredId, detail, now());
        } catch (RuntimeException e) {
            if (Database.isConstraintViolation(e)) {
                return false;
            }
            throw e;
        }
    }
}
