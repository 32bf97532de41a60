package org.sluice.connector.gmail.internal;

import com.google.api.services.gmail.Gmail;
import com.google.api.services.gmail.model.Label;
import com.google.api.services.gmail.model.ListLabelsResponse;
import com.google.api.services.gmail.model.ListMessagesResponse;
import com.google.api.services.gmail.model.Message;
import com.google.api.services.gmail.model.MessagePartHeader;
import com.google.api.services.gmail.model.ModifyMessageRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.mailbox.MailboxFolders;
import org.sluice.api.response.ResponseOutcome;

/**
 * One configured Gmail connector instance: finds, reads, removes and re-inserts users' messages through the Gmail API.
 *
 * <p><b>Folders.</b> Gmail has labels, not folders. A copy's {@link MailboxCopy#folder()} is its label ids joined by
 * commas ({@code INBOX,UNREAD,IMPORTANT}); {@link #reinsert} gives the new message those labels again.
 *
 * <p><b>Removal.</b> In {@link RemoveMode#DELETE} (the default) a copy is deleted permanently
 * ({@code users.messages.delete}): it leaves every label, search and the Trash at once, and the user cannot recover
 * it (a Workspace administrator may still restore recently deleted mail, and Google Vault keeps what its retention
 * rules hold). {@link RemoveMode#TRASH} moves it to the Trash ({@code users.messages.trash}), which costs fewer quota
 * units, but the user still sees it in Trash, finds it with {@code in:trash} or {@code in:anywhere} and can move it
 * back until Gmail empties the Trash (30 days). Searches in TRASH mode skip copies that are already in the Trash.
 *
 * <p><b>Sent mail.</b> A copy labelled SENT and not INBOX is the user's own sent message; searches skip it unless
 * the instance is set to include Sent Items.
 *
 * <p><b>Quota.</b> Each call spends Gmail's documented quota units (list and get 5, trash 5, delete 10, insert 25)
 * against a per-user budget per minute, kept on the client side; a call that would exceed it waits up to a configured
 * time and otherwise answers RETRYABLE with the wait. A 429 or 403 {@code rateLimitExceeded}/{@code
 * userRateLimitExceeded} answers RETRYABLE with the server's wait (Retry-After header or the "Retry after &lt;time&gt;"
 * in the message), and no call for that user is sent before it has passed. {@code dailyLimitExceeded} pauses the whole
 * instance until the daily quota resets (midnight Pacific time): every call answers RETRYABLE with the time left,
 * and the pause is reported to the listener given at construction.
 *
 * <p><b>Limits.</b> Re-inserted messages are sent as {@code raw} in a JSON body, which Gmail accepts for messages of
 * a few megabytes; larger ones fail with the server's error. Subjects are compared as Gmail returns the Subject
 * header; encoded words are not decoded here. A search examines at most a configured number of hits per mailbox.
 */
public final class GmailMailboxConnector implements MailboxConnector, MailboxFolders {

    /** The connector type name. */
    public static final String TYPE = "gmail";

    /** Gmail's quota units per method (developers.google.com/gmail/api/reference/quota). */
    static final int UNITS_LIST = 5;

    static final int UNITS_GET = 5;
    static final int UNITS_DELETE = 10;
    static final int UNITS_TRASH = 5;
    static final int UNITS_INSERT = 25;
    static final int UNITS_MODIFY = 5;
    static final int UNITS_LABELS = 1;
    static final int UNITS_LABEL_CREATE = 5;

    private static final ZoneId QUOTA_RESET_ZONE = ZoneId.of("America/Los_Angeles");
    private static final List<String> CHECK_HEADERS = List.of("Message-ID", "From", "Subject");

    private final Logger logger = LoggerFactory.getLogger(GmailMailboxConnector.class);

    /** How a copy is taken out of the user's reach. */
    public enum RemoveMode {
        /** Permanent deletion. */
        DELETE,
        /** Move to the Trash (weaker: the user can still see and restore it there). */
        TRASH
    }

    /**
     * Settings of one instance.
     *
     * @param instanceId the instance's name
     * @param removeMode how copies are removed
     * @param maxClientWait the longest a call waits for the client-side quota before answering RETRYABLE
     * @param maxHitsChecked the most search hits examined per mailbox and search
     * @param includeSentItems whether searches return copies that are only in the user's sent mail (labelled SENT but
     *     not INBOX): the sender's own Sent Items are left alone unless this is set
     */
    public record Settings(
            String instanceId,
            RemoveMode removeMode,
            Duration maxClientWait,
            int maxHitsChecked,
            boolean includeSentItems) {

        /** Settings that leave the sender's Sent Items alone. */
        public Settings(String instanceId, RemoveMode removeMode, Duration maxClientWait, int maxHitsChecked) {
            this(instanceId, removeMode, maxClientWait, maxHitsChecked, false);
        }

        public Settings {
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(removeMode, "removeMode");
            Objects.requireNonNull(maxClientWait, "maxClientWait");
            if (maxHitsChecked < 1) {
                throw new IllegalArgumentException("maxHitsChecked must be at least 1, got " + maxHitsChecked);
            }
        }
    }

    private final Settings settings;
    private final GmailClients clients;
    private final QuotaLimiter limiter;
    private final Clock clock;
    private final Consumer<Instant> pauseListener;
    private final Object pauseLock = new Object();
    private Instant pausedUntil;
    private final AtomicLong calls = new AtomicLong();

    /**
     * @param pauseListener told the instant a daily-limit pause ends when one begins, and {@code null} when it has
     *     ended
     */
    GmailMailboxConnector(
            Settings settings,
            GmailClients clients,
            QuotaLimiter limiter,
            Clock clock,
            Consumer<Instant> pauseListener) {
        this.settings = settings;
        this.clients = clients;
        this.limiter = limiter;
        this.clock = clock;
        this.pauseListener = pauseListener;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String instanceId() {
        return settings.instanceId();
    }

    /** When the daily-limit pause ends, or {@code null} when the instance is not paused. */
    public Instant pausedUntil() {
        synchronized (pauseLock) {
            return pausedUntil;
        }
    }

    @Override
    public List<MailboxCopy> findCopies(String mailbox, CopyQuery query) throws Exception {
        String user = requireMailbox(mailbox);
        Objects.requireNonNull(query, "query");
        if (query.maxCopies() < 1) {
            throw new MailboxException(ResponseOutcome.permanentFailure(
                    "bad-query", "maxCopies must be at least 1, got " + query.maxCopies()));
        }
        String q = query.internetMessageId() != null
                ? GmailQuery.messageId(query.internetMessageId())
                : GmailQuery.window(query.sender(), query.subject(), query.receivedFrom(), query.receivedTo());
        if (q == null) {
            logger.debug("Nothing searchable in the query for {}; no search sent", user);
            return List.of();
        }
        Gmail gmail = clients.forUser(user);
        List<MailboxCopy> found = new ArrayList<>();
        int checked = 0;
        String pageToken = null;
        try {
            do {
                String token = pageToken;
                ListMessagesResponse page = call(
                        user,
                        UNITS_LIST,
                        () -> gmail.users()
                                .messages()
                                .list(user)
                                .setQ(q)
                                .setIncludeSpamTrash(true)
                                .setMaxResults(100L)
                                .setPageToken(token)
                                .execute());
                List<Message> hits = page.getMessages() == null ? List.of() : page.getMessages();
                for (Message hit : hits) {
                    if (checked >= settings.maxHitsChecked()) {
                        logger.debug("Stopped after examining {} hits in {}", checked, user);
                        return found;
                    }
                    checked++;
                    Message meta = metadata(gmail, user, hit.getId());
                    if (meta != null && matches(meta, query) && !skippedAsRemoved(meta) && !sentItemOnly(meta)) {
                        found.add(new MailboxCopy(
                                user, folder(meta), meta.getId(), header(meta, "Message-ID"), read(meta)));
                        if (found.size() >= query.maxCopies()) {
                            return found;
                        }
                    }
                }
                pageToken = page.getNextPageToken();
            } while (pageToken != null && !pageToken.isEmpty());
            return found;
        } catch (GmailCallException e) {
            throw new MailboxException(outcome(e.failure, "search in " + user, false), e);
        }
    }

    /** Gmail marks an unread message with the system label {@code UNREAD}; without labels the state is unknown. */
    static Boolean read(Message meta) {
        return meta.getLabelIds() == null ? null : !meta.getLabelIds().contains("UNREAD");
    }

    @Override
    public InputStream openRaw(MailboxCopy copy) throws Exception {
        String user = requireMailbox(copy.mailbox());
        Gmail gmail = clients.forUser(user);
        try {
            Message message = call(
                    user,
                    UNITS_GET,
                    () -> gmail.users()
                            .messages()
                            .get(user, copy.providerId())
                            .setFormat("raw")
                            .execute());
            byte[] raw = message.decodeRaw();
            if (raw == null) {
                throw new MailboxException(ResponseOutcome.permanentFailure(
                        "no-raw", "Gmail returned message " + copy.providerId() + " without raw content"));
            }
            return new ByteArrayInputStream(raw);
        } catch (GmailCallException e) {
            throw new MailboxException(outcome(e.failure, "read of message " + copy.providerId(), false), e);
        }
    }

    @Override
    public ResponseOutcome remove(MailboxCopy copy) throws Exception {
        String user;
        try {
            user = requireMailbox(copy.mailbox());
        } catch (MailboxException e) {
            return e.outcome();
        }
        Gmail gmail = clients.forUser(user);
        String id = copy.providerId();
        try {
            if (settings.removeMode() == RemoveMode.DELETE) {
                call(user, UNITS_DELETE, () -> {
                    gmail.users().messages().delete(user, id).execute();
                    return null;
                });
                logger.debug("Deleted message {} of {}", id, user);
                return ResponseOutcome.done("deleted permanently");
            }
            Message meta = call(
                    user,
                    UNITS_GET,
                    () -> gmail.users()
                            .messages()
                            .get(user, id)
                            .setFormat("minimal")
                            .execute());
            if (meta.getLabelIds() != null && meta.getLabelIds().contains("TRASH")) {
                return ResponseOutcome.alreadyDone("already in the Trash");
            }
            call(
                    user,
                    UNITS_TRASH,
                    () -> gmail.users().messages().trash(user, id).execute());
            logger.debug("Moved message {} of {} to the Trash", id, user);
            return ResponseOutcome.done("moved to the Trash");
        } catch (GmailCallException e) {
            return outcome(e.failure, "removal of message " + id, true);
        }
    }

    @Override
    public ResponseOutcome reinsert(String mailbox, String folder, InputStream raw) throws Exception {
        String user;
        try {
            user = requireMailbox(mailbox);
        } catch (MailboxException e) {
            return e.outcome();
        }
        byte[] bytes = raw.readAllBytes();
        List<String> labels = labels(folder);
        Gmail gmail = clients.forUser(user);
        try {
            Message content = new Message().encodeRaw(bytes).setLabelIds(labels.isEmpty() ? null : labels);
            Message inserted = call(
                    user,
                    UNITS_INSERT,
                    () -> gmail.users()
                            .messages()
                            .insert(user, content)
                            .setInternalDateSource("dateHeader")
                            .execute());
            logger.debug("Re-inserted a message into {} as {}", user, inserted.getId());
            return ResponseOutcome.done(inserted.getId());
        } catch (GmailCallException e) {
            return outcome(e.failure, "re-insert into " + user, false);
        }
    }

    /** A hit's labels and check headers, or {@code null} when it vanished since the search. */
    private Message metadata(Gmail gmail, String user, String id) throws GmailCallException {
        try {
            return call(
                    user,
                    UNITS_GET,
                    () -> gmail.users()
                            .messages()
                            .get(user, id)
                            .setFormat("metadata")
                            .setMetadataHeaders(CHECK_HEADERS)
                            .execute());
        } catch (GmailCallException e) {
            if (e.failure.kind() == GmailFailure.Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** The exact re-check of a search hit against what was asked for. */
    static boolean matches(Message meta, CopyQuery query) {
        if (query.internetMessageId() != null) {
            return GmailQuery.sameMessageId(header(meta, "Message-ID"), query.internetMessageId());
        }
        if (query.sender() != null) {
            String address = GmailQuery.address(header(meta, "From"));
            if (address == null || !address.equalsIgnoreCase(query.sender().trim())) {
                return false;
            }
        }
        if (query.subject() != null && !query.subject().equals(header(meta, "Subject"))) {
            return false;
        }
        Long internal = meta.getInternalDate();
        if (query.receivedFrom() != null || query.receivedTo() != null) {
            if (internal == null) {
                return false;
            }
            Instant at = Instant.ofEpochMilli(internal);
            if (query.receivedFrom() != null && at.isBefore(query.receivedFrom())) {
                return false;
            }
            if (query.receivedTo() != null && at.isAfter(query.receivedTo())) {
                return false;
            }
        }
        return true;
    }

    private boolean sentItemOnly(Message meta) {
        List<String> labels = meta.getLabelIds();
        return !settings.includeSentItems() && labels != null && labels.contains("SENT") && !labels.contains("INBOX");
    }

    private boolean skippedAsRemoved(Message meta) {
        return settings.removeMode() == RemoveMode.TRASH
                && meta.getLabelIds() != null
                && meta.getLabelIds().contains("TRASH");
    }

    /** The first header of that name (case-insensitive), or {@code null}. */
    static String header(Message meta, String name) {
        if (meta.getPayload() == null || meta.getPayload().getHeaders() == null) {
            return null;
        }
        for (MessagePartHeader header : meta.getPayload().getHeaders()) {
            if (name.equalsIgnoreCase(header.getName())) {
                return header.getValue();
            }
        }
        return null;
    }

    private static String folder(Message meta) {
        return meta.getLabelIds() == null ? "" : String.join(",", meta.getLabelIds());
    }

    private static List<String> labels(String folder) {
        if (folder == null || folder.isBlank()) {
            return List.of();
        }
        return Arrays.stream(folder.split(","))
                .map(String::trim)
                .filter(label -> !label.isEmpty())
                .toList();
    }

    /** The mailbox address, or a permanent failure: retrying cannot mend a malformed address. */
    private static String requireMailbox(String mailbox) throws MailboxException {
        if (mailbox == null || mailbox.isBlank() || mailbox.indexOf('@') < 1) {
            throw new MailboxException(ResponseOutcome.permanentFailure(
                    "bad-mailbox", "a Gmail mailbox is a user's e-mail address, got '" + mailbox + "'"));
        }
        return mailbox.trim();
    }

    /** One Gmail call. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    /** A Gmail call that failed, classified. */
    private static final class GmailCallException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient GmailFailure failure;

        GmailCallException(GmailFailure failure, Throwable cause) {
            super(failure.message(), cause);
            this.failure = failure;
        }
    }

    /**
     * Runs one call for {@code user}: refuses while the instance is paused, waits for the user's quota (up to the
     * configured time), sends, and classifies a failure, holding the user back for any wait the server asked for.
     */
    private <T> T call(String user, int units, Call<T> call) throws GmailCallException {
        Instant paused = currentPause();
        if (paused != null) {
            throw new GmailCallException(
                    new GmailFailure(
                            GmailFailure.Kind.DAILY_LIMIT,
                            403,
                            "dailyLimitExceeded",
                            "connector '" + settings.instanceId() + "' is paused until " + paused
                                    + " (daily Gmail API quota spent)",
                            Duration.between(clock.instant(), paused)),
                    null);
        }
        QuotaLimiter.Reservation reservation = awaitQuota(user, units);
        try {
            return call.run();
        } catch (IOException e) {
            GmailFailure failure = GmailFailure.of(e, clock);
            if (failure.retryAfter() != null && !failure.retryAfter().isZero()) {
                limiter.holdUntil(user, clock.instant().plus(failure.retryAfter()));
            }
            if (failure.kind() == GmailFailure.Kind.DAILY_LIMIT) {
                failure = pause(failure);
            }
            logger.debug("Gmail call for {} failed: {}", user, failure.providerStatus());
            throw new GmailCallException(failure, e);
        } finally {
            reservation.finish();
            if (calls.incrementAndGet() % 1000 == 0) {
                limiter.forgetIdle();
            }
        }
    }

    /** Reserves the call's units, waiting at most the configured time in all, however often other calls win. */
    private QuotaLimiter.Reservation awaitQuota(String user, int units) throws GmailCallException {
        long deadline = System.nanoTime() + settings.maxClientWait().toNanos();
        while (true) {
            QuotaLimiter.Grant grant = limiter.reserve(user, units);
            if (grant.reservation() != null) {
                return grant.reservation();
            }
            if (System.nanoTime() + grant.delay().toNanos() - deadline > 0) {
                throw new GmailCallException(
                        new GmailFailure(
                                GmailFailure.Kind.RATE_LIMITED,
                                0,
                                "clientQuota",
                                "the per-user quota or a server-imposed wait holds " + user + " back for "
                                        + grant.delay().toMillis() + " ms",
                                grant.delay()),
                        null);
            }
            try {
                Thread.sleep(Math.max(1, grant.delay().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GmailCallException(
                        new GmailFailure(GmailFailure.Kind.TRANSIENT, 0, null, "interrupted", null), e);
            }
        }
    }

    /** The end of the current daily-limit pause, or {@code null}; ends a pause whose time has come. */
    private Instant currentPause() {
        Instant ended;
        synchronized (pauseLock) {
            if (pausedUntil == null) {
                return null;
            }
            if (clock.instant().isBefore(pausedUntil)) {
                return pausedUntil;
            }
            ended = pausedUntil;
            pausedUntil = null;
        }
        logger.info("Gmail connector '{}' resumes: the daily quota pause until {} is over", instanceId(), ended);
        pauseListener.accept(null);
        return null;
    }

    /** Pauses the instance until the daily quota resets (midnight Pacific time, or the server's wait if later). */
    private GmailFailure pause(GmailFailure failure) {
        Instant now = clock.instant();
        Instant reset = LocalDate.ofInstant(now, QUOTA_RESET_ZONE)
                .plusDays(1)
                .atStartOfDay(QUOTA_RESET_ZONE)
                .toInstant();
        if (failure.retryAfter() != null && now.plus(failure.retryAfter()).isAfter(reset)) {
            reset = now.plus(failure.retryAfter());
        }
        boolean started;
        synchronized (pauseLock) {
            started = pausedUntil == null || reset.isAfter(pausedUntil);
            if (started) {
                pausedUntil = reset;
            }
        }
        if (started) {
            logger.warn(
                    "Gmail connector '{}' is paused until {}: Google answered dailyLimitExceeded, the project's daily"
                            + " Gmail API quota is spent. Every call waits until then; raise the quota in the Google"
                            + " Cloud console to resume sooner.",
                    instanceId(),
                    reset);
            pauseListener.accept(reset);
        }
        return new GmailFailure(
                failure.kind(),
                failure.httpStatus(),
                failure.reason(),
                failure.message(),
                Duration.between(now, reset));
    }

    /** The outcome the queue acts on; a missing message is already removed when removing, and not found otherwise. */
    private ResponseOutcome outcome(GmailFailure failure, String action, boolean removing) {
        String detail = failure.describe(action);
        return switch (failure.kind()) {
            case RATE_LIMITED, DAILY_LIMIT, TRANSIENT ->
                ResponseOutcome.retryable(failure.providerStatus(), detail, failure.retryAfter());
            case NOT_FOUND ->
                removing
                        ? new ResponseOutcome(
                                ResponseOutcome.Status.ALREADY_DONE, failure.providerStatus(), detail, null)
                        : new ResponseOutcome(ResponseOutcome.Status.NOT_FOUND, failure.providerStatus(), detail, null);
            case PERMANENT -> ResponseOutcome.permanentFailure(failure.providerStatus(), detail);
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>Gmail has labels, not folders: {@code folder} is a system label ({@code INBOX}, case-insensitive) or the name
     * of a user label, and a listed copy's folder is that label's id.
     */
    @Override
    public List<MailboxCopy> list(String mailbox, String folder, int max) throws Exception {
        String user = requireMailbox(mailbox);
        Gmail gmail = clients.forUser(user);
        try {
            String label = labelId(gmail, user, folder, false);
            if (label == null) {
                throw new MailboxException(
                        ResponseOutcome.notFound("no label '" + folder + "' in mailbox '" + user + "'"));
            }
            if (max < 1) {
                return List.of();
            }
            ListMessagesResponse page = call(
                    user,
                    UNITS_LIST,
                    () -> gmail.users()
                            .messages()
                            .list(user)
                            .setLabelIds(List.of(label))
                            .setMaxResults((long) Math.min(max, 500))
                            .execute());
            List<MailboxCopy> out = new ArrayList<>();
            for (Message message : page.getMessages() == null ? List.<Message>of() : page.getMessages()) {
                if (out.size() < max) {
                    out.add(new MailboxCopy(user, label, message.getId(), null));
                }
            }
            return out;
        } catch (GmailCallException e) {
            throw new MailboxException(outcome(e.failure, "listing " + folder + " of " + user, false), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code messages.modify} call adds the target label (a user label is created when missing) and removes the
     * copy's label, so the move is atomic.
     */
    @Override
    public ResponseOutcome move(MailboxCopy copy, String targetFolder) throws Exception {
        String user;
        try {
            user = requireMailbox(copy.mailbox());
        } catch (MailboxException e) {
            return e.outcome();
        }
        Gmail gmail = clients.forUser(user);
        try {
            String target = labelId(gmail, user, targetFolder, true);
            ModifyMessageRequest change = new ModifyMessageRequest()
                    .setAddLabelIds(List.of(target))
                    .setRemoveLabelIds(labels(copy.folder()).stream()
                            .filter(l -> !l.equals(target))
                            .toList());
            call(
                    user,
                    UNITS_MODIFY,
                    () -> gmail.users()
                            .messages()
                            .modify(user, copy.providerId(), change)
                            .execute());
            return ResponseOutcome.done("labelled " + targetFolder + " instead of " + copy.folder());
        } catch (GmailCallException e) {
            return outcome(e.failure, "move of message " + copy.providerId(), false);
        }
    }

    /** The id of a system label or a user label by name; a user label is created when asked and missing. */
    private String labelId(Gmail gmail, String user, String name, boolean create) throws GmailCallException {
        String wanted = name.strip();
        ListLabelsResponse labels =
                call(user, UNITS_LABELS, () -> gmail.users().labels().list(user).execute());
        for (Label label : labels.getLabels() == null ? List.<Label>of() : labels.getLabels()) {
            boolean system = "system".equals(label.getType());
            if (system ? label.getId().equalsIgnoreCase(wanted) : wanted.equals(label.getName())) {
                return label.getId();
            }
        }
        if (!create) {
            return null;
        }
        Label created = call(
                user,
                UNITS_LABEL_CREATE,
                () -> gmail.users()
                        .labels()
                        .create(
                                user,
                                new Label()
                                        .setName(wanted)
                                        .setLabelListVisibility("labelShow")
                                        .setMessageListVisibility("show"))
                        .execute());
        logger.info("Created label '{}' in mailbox {}", wanted, user);
        return created.getId();
    }

    /** Reads the Message-ID of a raw message. */
    static final class RawHeaders {
        private RawHeaders() {}

        /** The value of the first Message-ID header of the header block, unfolded, or {@code null}. */
        static String messageId(byte[] raw) {
            String text = new String(raw, 0, Math.min(raw.length, 256 * 1024), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                end = text.indexOf("\n\n");
            }
            String head = end < 0 ? text : text.substring(0, end);
            String unfolded = head.replaceAll("\r?\n[ \t]+", " ");
            for (String line : unfolded.split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Message-ID")) {
                    String value = line.substring(colon + 1).trim();
                    return value.isEmpty() ? null : value;
                }
            }
            return null;
        }
    }
}
