package org.sluice.source.clear;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.clear.ReportIntake;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.source.AlertSource;
import org.sluice.api.source.SourceHealth;

/**
 * One abuse mailbox that users report suspicious mail to (factory configuration {@value #PID}): polled through a
 * configured mailbox-connector instance that offers folder access ({@link org.sluice.api.mailbox.MailboxFolders}),
 * each report handed to the CLEAR {@link ReportIntake} and then moved to the processed folder (see {@link
 * MailboxPoller} for why no report is lost or counted twice across crashes). The alerts it files have source type
 * {@value #TYPE} and the mailbox's name as their instance.
 */
@Component(
        service = AlertSource.class,
        configurationPid = AbuseMailboxSource.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = AlertSource.TYPE_PROPERTY + "=" + AbuseMailboxSource.TYPE)
@Designate(ocd = AbuseMailboxSource.Config.class, factory = true)
public class AbuseMailboxSource implements AlertSource {

    /** The factory PID of abuse mailboxes. */
    public static final String PID = "org.sluice.source.clear";

    /** The source type, the same as the intake's alerts. */
    public static final String TYPE = "clear";

    private static final Logger LOG = LoggerFactory.getLogger(AbuseMailboxSource.class);

    /** An abuse mailbox. */
    @ObjectClassDefinition(
            name = "Sluice abuse mailbox",
            description = "A mailbox users report suspicious mail to. Sluice polls its inbox folder through a"
                    + " mailbox connector, files each report and moves it to the processed folder.")
    public @interface Config {
        @AttributeDefinition(
                name = "Name",
                description = "A name for people (letters, digits, '.', '_', '-'), recorded with every alert.")
        String name();

        @AttributeDefinition(name = "Connector type", description = "imap, graph or gmail.")
        String connector_type() default "imap";

        @AttributeDefinition(
                name = "Connector instance",
                description = "The instance id of the mailbox connector configuration that reaches the mailbox.")
        String connector();

        @AttributeDefinition(name = "Mailbox", description = "The abuse mailbox's address, e.g. abuse@example.org.")
        String mailbox();

        @AttributeDefinition(name = "Inbox folder", description = "Where new reports arrive.")
        String inbox_folder() default "INBOX";

        @AttributeDefinition(name = "Processed folder", description = "Where filed reports are moved (created).")
        String processed_folder() default "Processed";

        @AttributeDefinition(
                name = "Failed folder",
                description = "Where reports too large to read are moved, unread (created).")
        String failed_folder() default "Failed";

        @AttributeDefinition(name = "Poll interval (seconds)")
        int poll_seconds() default 60;

        @AttributeDefinition(
                name = "Longest back-off (seconds)",
                description = "The longest wait between polls while the mailbox cannot be reached.")
        int max_backoff_seconds() default 900;

        @AttributeDefinition(name = "Reports per poll", description = "At most this many reports in one poll.")
        int batch_size() default 50;

        @AttributeDefinition(name = "Largest report (MB)", description = "Larger reports go to the failed folder.")
        int max_report_mb() default 50;
    }

    private final List<MailboxConnector> connectors = new CopyOnWriteArrayList<>();

    @Reference
    private ReportIntake intake;

    private volatile String name = "unnamed";
    private volatile MailboxPoller poller;
    private volatile SourceHealth configurationProblem;
    private volatile ScheduledExecutorService scheduler;

    /** Reads the configuration and starts polling (after the connectors present now are bound). */
    @Activate
    void activate(Config config) {
        String problem = null;
        String given = config.name() == null ? "" : config.name().strip();
        if (!given.matches("[A-Za-z0-9._-]{1,60}")) {
            problem = "the name must be 1-60 letters, digits, '.', '_' or '-'";
            given = "unnamed";
        } else if (blank(config.connector()) || blank(config.mailbox())) {
            problem = "connector and mailbox are required";
        } else if (config.poll_seconds() < 1 || config.batch_size() < 1 || config.max_report_mb() < 1) {
            problem = "poll.seconds, batch.size and max.report.mb must be positive";
        } else if (blank(config.inbox_folder())
                || blank(config.processed_folder())
                || blank(config.failed_folder())
                || config.inbox_folder()
                        .strip()
                        .equals(config.processed_folder().strip())) {
            problem = "the inbox, processed and failed folders must be named, and the processed folder must differ";
        }
        this.name = given;
        this.configurationProblem =
                problem == null ? null : new SourceHealth(SourceHealth.Status.OFFLINE_CONFIGURATION, problem, null);
        this.poller = problem != null
                ? null
                : new MailboxPoller(
                        new MailboxPoller.Settings(
                                given,
                                config.connector_type().strip(),
                                config.connector().strip(),
                                config.mailbox().strip(),
                                config.inbox_folder().strip(),
                                config.processed_folder().strip(),
                                config.failed_folder().strip(),
                                Duration.ofSeconds(config.poll_seconds()),
                                Duration.ofSeconds(Math.max(1, config.max_backoff_seconds())),
                                config.batch_size(),
                                config.max_report_mb() * 1024L * 1024L),
                        () -> connectors,
                        intake,
                        Clock.systemUTC());
        if (problem != null) {
            LOG.warn("Abuse mailbox '{}' is not polled: {}", name, problem);
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sluice-abuse-mailbox-" + name);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.execute(this::pollAndReschedule);
        LOG.info(
                "Abuse mailbox '{}' ({}) is polled every {} s",
                name,
                config.mailbox().strip(),
                config.poll_seconds());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private void pollAndReschedule() {
        Duration next;
        try {
            next = poller.poll();
        } catch (RuntimeException e) {
            LOG.warn("Abuse mailbox '{}': a poll failed unexpectedly: {}", name, e.toString());
            next = Duration.ofSeconds(60);
        }
        ScheduledExecutorService current = scheduler;
        if (current != null && !current.isShutdown()) {
            try {
                current.schedule(this::pollAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("Abuse mailbox '{}' stopped while rescheduling", name);
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        ScheduledExecutorService current = scheduler;
        scheduler = null;
        if (current != null) {
            current.shutdownNow();
            if (!current.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Abuse mailbox '{}': a poll is still running after 30 s", name);
            }
        }
        LOG.info("Abuse mailbox '{}' is no longer polled", name);
    }

    @Reference(
            service = MailboxConnector.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConnector(MailboxConnector connector) {
        connectors.add(connector);
    }

    void removeConnector(MailboxConnector connector) {
        connectors.remove(connector);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "Abuse mailbox '" + name + "'";
    }

    @Override
    public String instance() {
        return name;
    }

    @Override
    public SourceHealth health() {
        return configurationProblem != null ? configurationProblem : poller.health();
    }
}
