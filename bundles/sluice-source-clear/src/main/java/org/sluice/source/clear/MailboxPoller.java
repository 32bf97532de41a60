package org.sluice.source.clear;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.clear.ReportIntake;
import org.sluice.api.clear.ReportOutcome;
import org.sluice.api.fault.CrashPoints;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.mailbox.MailboxFolders;
import org.sluice.api.response.ResponseOutcome;
import org.sluice.api.security.Actor;
import org.sluice.api.source.SourceHealth;
import org.sluice.api.source.SourceHealth.Status;

/**
 * One poll of one abuse mailbox, and the health and back-off that follow from it. Not thread-safe: one scheduler
 * thread calls {@link #poll()}; {@link #health()} may be read from any thread.
 *
 * <p><b>Exactly once.</b> Each report in the inbox folder is read, handed to the {@link ReportIntake} (which keeps the
 * raw bytes first and files at most one alert per distinct report, its external id being the SHA-256 of the bytes),
 * and only then moved to the processed folder. A crash before the move leaves the report in the inbox; the next poll
 * hands the same bytes in again, which finds the alert already filed instead of filing a second one. A crash after the
 * move leaves nothing to do. So a report is never lost (it leaves the inbox only after the intake accepted it) and
 * never counted twice (identical bytes are one report, however often they are handed in).
 *
 * <p><b>Failures.</b> An unreachable mailbox, a refused login or a missing folder turn the health to the matching
 * offline state, logged at INFO once per change of state, and the next poll waits twice as long as the last (from the
 * poll interval up to the longest back-off). A report larger than the limit is moved to the failed folder unread, with
 * a warning, so that it neither blocks the inbox nor disappears.
 */
final class MailboxPoller {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxPoller.class);

    /** The name of the crash point between filing a report and moving it out of the inbox. */
    static final String BEFORE_MOVE = "clear.before-move";

    /** The settings of one polled mailbox. */
    record Settings(
            String name,
            String connectorType,
            String connectorInstance,
            String mailbox,
            String inboxFolder,
            String processedFolder,
            String failedFolder,
            Duration pollInterval,
            Duration maxBackoff,
            int batchSize,
            long maxReportBytes) {

        Settings {
            Objects.requireNonNull(name, "name");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("the poll interval must be positive");
            }
            maxBackoff = maxBackoff.compareTo(pollInterval) < 0 ? pollInterval : maxBackoff;
        }
    }

    private final Settings settings;
    private final Supplier<List<MailboxConnector>> connectors;
    private final ReportIntake intake;
    private final Clock clock;
    private final Actor actor;

    private volatile SourceHealth health;
    private Status lastLogged = Status.UNKNOWN;
    private int failures;
    private long handled;

    MailboxPoller(Settings settings, Supplier<List<MailboxConnector>> connectors, ReportIntake intake, Clock clock) {
        this.settings = settings;
        this.connectors = connectors;
        this.intake = intake;
        this.clock = clock;
        this.actor = Actor.system("clear-mailbox:" + settings.name());
        this.health = new SourceHealth(Status.UNKNOWN, "not polled yet", null);
    }

    SourceHealth health() {
        return health;
    }

    /** Reports handed to the intake and moved out of the inbox since start. */
    long handled() {
        return handled;
    }

    /**
     * Polls once: hands every report of one batch to the intake and moves it. Returns how long to wait before the
     * next poll: nothing when a full batch suggests more reports are waiting, the poll interval after a clean poll,
     * and a growing back-off after a failure.
     */
    Duration poll() {
        Instant started = clock.instant();
        MailboxConnector connector = connector();
        if (connector == null) {
            return failed(
                    Status.OFFLINE_CONFIGURATION,
                    "mailbox connector " + settings.connectorType() + "/" + settings.connectorInstance()
                            + " is not available",
                    started);
        }
        if (!(connector instanceof MailboxFolders folders)) {
            return failed(
                    Status.OFFLINE_CONFIGURATION,
                    "mailbox connector " + settings.connectorType() + "/" + settings.connectorInstance()
                            + " cannot list or move messages",
                    started);
        }
        List<MailboxCopy> reports;
        try {
            reports = folders.list(settings.mailbox(), settings.inboxFolder(), settings.batchSize());
        } catch (Exception e) {
            return failed(e, "listing " + settings.inboxFolder(), started);
        }
        for (MailboxCopy report : reports) {
            if (Thread.currentThread().isInterrupted()) {
                return settings.pollInterval();
            }
            try {
                handle(connector, folders, report);
            } catch (Exception e) {
                return failed(e, "handling a report", started);
            }
        }
        failures = 0;
        change(
                Status.ONLINE,
                handled + " reports handled since start; " + reports.size() + " in the last poll",
                started);
        return reports.size() >= settings.batchSize() ? Duration.ZERO : settings.pollInterval();
    }

    private void handle(MailboxConnector connector, MailboxFolders folders, MailboxCopy report) throws Exception {
        byte[] raw;
        try (InputStream in = connector.openRaw(report)) {
            raw = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, settings.maxReportBytes() + 1));
        } catch (MailboxException e) {
            if (e.outcome().status() == ResponseOutcome.Status.NOT_FOUND) {
                LOG.debug("Report {} left {} before it was read", report.providerId(), report.folder());
                return;
            }
            throw e;
        }
        if (raw.length > settings.maxReportBytes()) {
            LOG.warn(
                    "Abuse mailbox '{}': report {} is larger than {} bytes; moving it to {} unread",
                    settings.name(),
                    report.providerId(),
                    settings.maxReportBytes(),
                    settings.failedFolder());
            checkMoved(folders.move(report, settings.failedFolder()), settings.failedFolder());
            return;
        }
        ReportOutcome outcome = intake.submit(raw, settings.name(), actor);
        CrashPoints.reach(BEFORE_MOVE);
        checkMoved(folders.move(report, settings.processedFolder()), settings.processedFolder());
        handled++;
        LOG.debug(
                "Abuse mailbox '{}': report {} is alert {}, moved to {}",
                settings.name(),
                outcome.reportSha256(),
                outcome.alertId(),
                settings.processedFolder());
    }

    private static void checkMoved(ResponseOutcome moved, String folder) throws MailboxException {
        // NOT_FOUND: someone else moved or deleted the report after it was read; it was filed, nothing is left to do.
        if (!moved.succeeded() && moved.status() != ResponseOutcome.Status.NOT_FOUND) {
            throw new MailboxException(new ResponseOutcome(
                    moved.status(),
                    moved.providerStatus(),
                    "moving a report to " + folder + " failed: " + moved.detail(),
                    moved.retryAfter()));
        }
    }

    private MailboxConnector connector() {
        for (MailboxConnector candidate : connectors.get()) {
            if (settings.connectorType().equals(candidate.type())
                    && settings.connectorInstance().equals(candidate.instanceId())) {
                return candidate;
            }
        }
        return null;
    }

    private Duration failed(Exception e, String doing, Instant when) {
        if (e instanceof MailboxException mailbox) {
            ResponseOutcome outcome = mailbox.outcome();
            Status status = switch (outcome.status()) {
                case NOT_FOUND -> Status.OFFLINE_CONFIGURATION;
                case PERMANENT_FAILURE ->
                    "auth".equals(outcome.providerStatus()) ? Status.UNAUTHORIZED : Status.OFFLINE_CONFIGURATION;
                default -> Status.OFFLINE_COMMUNICATION;
            };
            Duration delay = failed(status, doing + ": " + outcome.detail(), when);
            Duration wait = outcome.retryAfter();
            return wait != null && wait.compareTo(delay) > 0 && wait.compareTo(settings.maxBackoff()) <= 0
                    ? wait
                    : delay;
        }
        if (e instanceof IOException) {
            // The raw-mail store could not keep a report: the report stays in the inbox for the next poll.
            return failed(Status.OFFLINE_COMMUNICATION, doing + ": " + e.getMessage(), when);
        }
        LOG.debug("Abuse mailbox poll failure", e);
        return failed(Status.OFFLINE_COMMUNICATION, doing + ": " + e.getClass().getSimpleName(), when);
    }

    private Duration failed(Status status, String detail, Instant when) {
        failures++;
        change(status, detail, health.lastPoll());
        long factor = 1L << Math.min(failures - 1, 20);
        Duration delay = settings.pollInterval().multipliedBy(factor);
        LOG.debug("Abuse mailbox '{}' failed at {}: {}", settings.name(), when, clean(detail));
        return delay.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : delay;
    }

    private void change(Status status, String detail, Instant lastPoll) {
        String clean = clean(detail);
        health = new SourceHealth(status, clean, lastPoll);
        if (status != lastLogged) {
            LOG.info(
                    "Abuse mailbox '{}' ({} via {}/{}) is now {}: {}",
                    settings.name(),
                    settings.mailbox(),
                    settings.connectorType(),
                    settings.connectorInstance(),
                    status,
                    clean);
            lastLogged = status;
        }
    }

    /** Server and exception texts shown to people: one line, bounded. */
    static String clean(String text) {
        String one = text == null ? "" : text.replaceAll("[\\p{Cntrl}]", " ").strip();
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
