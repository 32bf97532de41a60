package org.sluice.connector.imap;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.HeaderTerm;
import jakarta.mail.search.ReceivedDateTerm;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.api.mailbox.MailboxException;
import org.sluice.api.mailbox.MailboxFolders;
import org.sluice.api.response.ResponseOutcome;

/**
 * One configured IMAP server (factory configuration {@value #PID}), reaching users' mailboxes through a master user
 * ({@code <user><separator><master>}, as Dovecot does), a SASL PLAIN authorization identity (one admin login acting as
 * the user), or each mailbox's own credentials. Every call opens its own connection and closes it.
 *
 * <p><b>Searching.</b> By Message-ID ({@code SEARCH HEADER Message-ID}) or by sender, subject and received dates, in
 * every selectable folder but the hidden quarantine folder. Search strings are sent by Angus Mail as IMAP quoted
 * strings or literals, never as raw protocol text; IMAP search matches substrings, so each hit is re-checked exactly
 * ({@link ExactMatch}) before it is returned.
 *
 * <p><b>Removing.</b> In the {@code expunge} mode (the default) the copy is flagged {@code \Deleted} and expunged by
 * UID ({@code UID EXPUNGE}, UIDPLUS required, so the user's other deleted messages stay): no folder or search shows it
 * any more, unless the server itself keeps expunged mail (Dovecot's {@code lazy_expunge} plugin, a backup). In the
 * weaker {@code hidden-folder} mode the copy is moved into an unsubscribed folder: clients that list every folder, or
 * the user subscribing to it, still show it there, and undo re-inserts from the vault without removing that copy.
 *
 * <p><b>Undo.</b> The raw bytes are appended to the original folder ({@code APPEND}); with UIDPLUS the new copy's id
 * comes from {@code APPENDUID}.
 *
 * <p><b>Folders</b> ({@link MailboxFolders}, for abuse mailboxes). A folder lists oldest first by UID, each copy
 * named by the folder's UIDVALIDITY and its UID. A move uses {@code UID MOVE} (RFC 6851) where the server offers it,
 * which is atomic; otherwise {@code UID COPY}, {@code \Deleted} and {@code UID EXPUNGE} (UIDPLUS required), where a
 * crash between the steps leaves the copy in both folders, never in neither.
 */
@Component(
        service = MailboxConnector.class,
        configurationPid = ImapConnector.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = MailboxConnector.TYPE_PROPERTY + "=" + ImapConnector.TYPE)
@Designate(ocd = ImapConnector.Config.class, factory = true)
public class ImapConnector implements MailboxConnector, MailboxFolders {

    /** The factory PID of IMAP connector instances. */
    public static final String PID = "org.sluice.connector.imap";

    public static final String TYPE = "imap";

    @ObjectClassDefinition(
            name = "Sluice IMAP mailbox connector",
            description = "An IMAP server whose users' mailboxes Sluice quarantines from and restores to.")
    public @interface Config {
        @AttributeDefinition(name = "Instance id", description = "Unique; routes in mailbox.routes name it (1-40).")
        String instance();

        @AttributeDefinition(name = "Host")
        String host() default "127.0.0.1";

        @AttributeDefinition(name = "Port")
        int port() default 143;

        @AttributeDefinition(
                name = "Transport security",
                options = {
                    @Option(value = "starttls", label = "STARTTLS required"),
                    @Option(value = "ssl", label = "Implicit TLS (imaps)"),
                    @Option(value = "none", label = "None (loopback only)")
                })
        String security() default "starttls";

        @AttributeDefinition(
                name = "How mailboxes are reached",
                options = {
                    @Option(value = "master", label = "Master user (user<separator>master)"),
                    @Option(value = "authzid", label = "SASL PLAIN authorization identity"),
                    @Option(value = "per-mailbox", label = "Each mailbox's own credentials")
                })
        String auth() default "master";

        @AttributeDefinition(name = "Admin or master user", required = false)
        String admin_user() default "";

        @AttributeDefinition(name = "Admin or master password", type = AttributeType.PASSWORD, required = false)
        String admin_password() default "";

        @AttributeDefinition(name = "Master user separator", required = false)
        String master_separator() default "*";

        @AttributeDefinition(
                name = "Login name",
                options = {
                    @Option(value = "address", label = "The full address"),
                    @Option(value = "localpart", label = "The part before @")
                })
        String login_name() default "address";

        @AttributeDefinition(
                name = "Removal",
                options = {
                    @Option(value = "expunge", label = "Expunge (strong; vault copy only)"),
                    @Option(value = "hidden-folder", label = "Move to a hidden folder (weaker, faster)")
                })
        String remove_mode() default "expunge";

        @AttributeDefinition(name = "Hidden folder", required = false)
        String hidden_folder() default "Sluice Quarantine";

        @AttributeDefinition(name = "Timeout (seconds)", description = "Connect and read timeout of every call.")
        int timeout_seconds() default 20;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ImapConnector.class);

    private final String instance;
    private final String host;
    private final int port;
    private final String security;
    private final String auth;
    private final String adminUser;
    private final String adminPassword;
    private final String separator;
    private final boolean localPart;
    private final Map<String, String> credentials;
    private final boolean expunge;
    private final String hiddenFolder;
    private final Duration timeout;

    /** The prefix of per-mailbox password properties: {@code credential.<address> = ENC(...)}. */
    public static final String CREDENTIAL_PREFIX = "credential.";

    /**
     * Reads one server's configuration. Per-mailbox passwords are properties {@code credential.<address>}, one per
     * mailbox, so that each can be written as {@code ENC(...)} and arrives decrypted.
     */
    @Activate
    public ImapConnector(Config config, Map<String, Object> properties) {
        this.instance = required(config.instance(), "instance");
        if (!instance.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new IllegalArgumentException(
                    "IMAP connector: instance '" + instance + "' must be 1-40 letters, " + "digits, '.', '_' or '-'");
        }
        this.host = required(config.host(), "host");
        this.port = config.port();
        this.security = oneOf(config.security(), "security", "starttls", "ssl", "none");
        this.auth = oneOf(config.auth(), "auth", "master", "authzid", "per-mailbox");
        this.adminUser = config.admin_user();
        this.adminPassword = config.admin_password();
        this.separator = config.master_separator();
        this.localPart =
                oneOf(config.login_name(), "login.name", "address", "localpart").equals("localpart");
        this.credentials = credentials(properties);
        this.expunge = oneOf(config.remove_mode(), "remove.mode", "expunge", "hidden-folder")
                .equals("expunge");
        this.hiddenFolder = required(config.hidden_folder(), "hidden.folder");
        this.timeout = Duration.ofSeconds(Math.max(1, config.timeout_seconds()));
        if (!auth.equals("per-mailbox") && (adminUser.isBlank() || adminPassword.isEmpty())) {
            throw new IllegalArgumentException(
                    "IMAP connector '" + instance + "': auth " + auth + " needs admin.user and admin.password");
        }
        if (security.equals("none") && !isLoopback(host)) {
            LOG.warn("IMAP connector '{}' sends passwords in clear text to {}; use starttls or ssl", instance, host);
        }
        LOG.info(
                "IMAP connector '{}' for {}:{} ({}, {}, removal by {})",
                instance,
                host,
                port,
                security,
                auth,
                expunge ? "expunge" : "hidden folder");
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("IMAP connector: '" + name + "' is required");
        }
        return value.strip();
    }

    private static String oneOf(String value, String name, String... allowed) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "IMAP connector: '" + name + "' is '" + value + "', expected one of " + String.join(", ", allowed));
    }

    private static Map<String, String> credentials(Map<String, Object> properties) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            if (property.getKey().startsWith(CREDENTIAL_PREFIX) && property.getValue() instanceof String password) {
                out.put(
                        property.getKey()
                                .substring(CREDENTIAL_PREFIX.length())
                                .strip()
                                .toLowerCase(Locale.ROOT),
                        password);
            }
        }
        return out;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String instanceId() {
        return instance;
    }

    // ---- connections ----

    private interface StoreWork<T> {
        T run(Session session, IMAPStore store) throws Exception;
    }

    private String protocol() {
        return security.equals("ssl") ? "imaps" : "imap";
    }

    private String login(String mailbox) {
        String address = mailbox.strip().toLowerCase(Locale.ROOT);
        return localPart && address.indexOf('@') > 0 ? address.substring(0, address.indexOf('@')) : address;
    }

    private <T> T withStore(String mailbox, StoreWork<T> work) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ImapConnector.class.getClassLoader());
        IMAPStore store = null;
        try {
            String p = "mail." + protocol() + ".";
            Properties props = new Properties();
            String millis = String.valueOf(timeout.toMillis());
            props.put(p + "connectiontimeout", millis);
            props.put(p + "timeout", millis);
            props.put(p + "writetimeout", millis);
            props.put(p + "peek", "true");
            props.put(p + "appendbuffersize", "-1");
            if (security.equals("starttls")) {
                props.put(p + "starttls.enable", "true");
                props.put(p + "starttls.required", "true");
            }
            if (!security.equals("none")) {
                props.put(p + "ssl.checkserveridentity", "true");
            }
            String user;
            String password;
            switch (auth) {
                case "master" -> {
                    user = login(mailbox) + separator + adminUser;
                    password = adminPassword;
                }
                case "authzid" -> {
                    props.put(p + "sasl.authorizationid", login(mailbox));
                    props.put(p + "auth.login.disable", "true");
                    user = adminUser;
                    password = adminPassword;
                }
                default -> {
                    user = login(mailbox);
                    password = credentials.get(mailbox.strip().toLowerCase(Locale.ROOT));
                    if (password == null) {
                        throw new MailboxException(ResponseOutcome.permanentFailure(
                                "no-credentials", "no credentials configured for " + mailbox));
                    }
                }
            }
            Session session = Session.getInstance(props);
            store = (IMAPStore) session.getStore(protocol());
            store.connect(host, port, user, password);
            return work.run(session, store);
        } catch (AuthenticationFailedException e) {
            throw new MailboxException(ResponseOutcome.permanentFailure(
                    "auth", "IMAP login for " + mailbox + " refused: " + e.getMessage()));
        } catch (FolderNotFoundException e) {
            throw new MailboxException(ResponseOutcome.notFound("no folder " + e.getMessage()));
        } catch (MessagingException e) {
            throw new MailboxException(ResponseOutcome.retryable("imap", "IMAP: " + e, null), e);
        } finally {
            if (store != null) {
                try {
                    store.close();
                } catch (MessagingException e) {
                    LOG.debug("Closing an IMAP connection failed", e);
                }
            }
            thread.setContextClassLoader(previous);
        }
    }

    // ---- searching ----

    @Override
    public List<MailboxCopy> findCopies(String mailbox, CopyQuery query) throws Exception {
        if (query.internetMessageId() == null && (query.sender() == null || query.subject() == null)) {
            throw new MailboxException(ResponseOutcome.permanentFailure(
                    "bad-query", "a search needs a Message-ID, or a sender and a subject"));
        }
        SearchTerm term = searchTerm(query);
        return withStore(mailbox, (session, store) -> {
            List<MailboxCopy> out = new ArrayList<>();
            for (Folder folder : store.getDefaultFolder().list("*")) {
                if (out.size() >= query.maxCopies()) {
                    break;
                }
                if (!searchable(folder)) {
                    continue;
                }
                folder.open(Folder.READ_ONLY);
                try {
                    Message[] hits = folder.search(term);
                    FetchProfile profile = new FetchProfile();
                    profile.add(FetchProfile.Item.ENVELOPE);
                    profile.add(UIDFolder.FetchProfileItem.UID);
                    profile.add(FetchProfile.Item.FLAGS);
                    profile.add("Message-ID");
                    folder.fetch(hits, profile);
                    IMAPFolder imap = (IMAPFolder) folder;
                    long validity = imap.getUIDValidity();
                    for (Message hit : hits) {
                        if (out.size() >= query.maxCopies()) {
                            break;
                        }
                        String[] ids = hit.getHeader("Message-ID");
                        if (ExactMatch.matches(
                                query, ids, addresses(hit), hit.getSubject(), instant(hit.getReceivedDate()))) {
                            out.add(new MailboxCopy(
                                    mailbox,
                                    folder.getFullName(),
                                    ExactMatch.providerId(validity, imap.getUID(hit)),
                                    ids == null ? null : ids[0].strip(),
                                    hit.isSet(Flags.Flag.SEEN)));
                        }
                    }
                } finally {
                    folder.close(false);
                }
            }
            return out;
        });
    }

    private boolean searchable(Folder folder) throws MessagingException {
        if ((folder.getType() & Folder.HOLDS_MESSAGES) == 0
                || folder.getFullName().equals(hiddenFolder)) {
            return false;
        }
        if (folder instanceof IMAPFolder imap) {
            for (String attribute : imap.getAttributes()) {
                if (attribute.equalsIgnoreCase("\\Noselect") || attribute.equalsIgnoreCase("\\NonExistent")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static SearchTerm searchTerm(CopyQuery query) {
        if (query.internetMessageId() != null) {
            return new HeaderTerm("Message-ID", query.internetMessageId());
        }
        List<SearchTerm> terms = new ArrayList<>();
        terms.add(new FromStringTerm(query.sender()));
        terms.add(new SubjectTerm(query.subject()));
        // IMAP SINCE and BEFORE compare dates only, in the server's zone: widen by a day, the re-check is exact.
        if (query.receivedFrom() != null) {
            terms.add(new ReceivedDateTerm(
                    ComparisonTerm.GE, Date.from(query.receivedFrom().minus(Duration.ofDays(1)))));
        }
        if (query.receivedTo() != null) {
            terms.add(new ReceivedDateTerm(
                    ComparisonTerm.LE, Date.from(query.receivedTo().plus(Duration.ofDays(1)))));
        }
        return new AndTerm(terms.toArray(new SearchTerm[0]));
    }

    private static String[] addresses(Message message) throws MessagingException {
        jakarta.mail.Address[] from = message.getFrom();
        if (from == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (jakarta.mail.Address address : from) {
            if (address instanceof InternetAddress internet && internet.getAddress() != null) {
                out.add(internet.getAddress());
            }
        }
        return out.toArray(new String[0]);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    // ---- one copy ----

    /** Opens the copy's folder and finds it by UID; {@code null} when it is no longer there. */
    private static Message locate(IMAPFolder folder, MailboxCopy copy) throws MessagingException, MailboxException {
        long[] id = ExactMatch.parseProviderId(copy.providerId());
        if (folder.getUIDValidity() != id[0]) {
            throw new MailboxException(ResponseOutcome.permanentFailure(
                    "uidvalidity", "folder " + copy.folder() + " was rebuilt since the copy was found"));
        }
        return folder.getMessageByUID(id[1]);
    }

    @Override
    public InputStream openRaw(MailboxCopy copy) throws Exception {
        Path file = Files.createTempFile("sluice-imap-", ".eml");
        try {
            withStore(copy.mailbox(), (session, store) -> {
                IMAPFolder folder = (IMAPFolder) store.getFolder(copy.folder());
                folder.open(Folder.READ_ONLY);
                try {
                    Message message = locate(folder, copy);
                    if (message == null) {
                        throw new MailboxException(
                                ResponseOutcome.notFound("the copy is no longer in " + copy.folder()));
                    }
                    try (OutputStream out = Files.newOutputStream(file)) {
                        message.writeTo(out);
                    }
                } finally {
                    folder.close(false);
                }
                return null;
            });
            return new FileInputStream(file.toFile()) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        Files.deleteIfExists(file);
                    }
                }
            };
        } catch (Exception e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public ResponseOutcome remove(MailboxCopy copy) throws Exception {
        try {
            return withStore(copy.mailbox(), (session, store) -> {
                if (expunge && !store.hasCapability("UIDPLUS")) {
                    return ResponseOutcome.permanentFailure(
                            "no-uidplus",
                            "the server lacks UIDPLUS; expunging would also expunge the user's deleted mail");
                }
                IMAPFolder folder = (IMAPFolder) store.getFolder(copy.folder());
                folder.open(Folder.READ_WRITE);
                try {
                    Message message = locate(folder, copy);
                    if (message == null) {
                        return ResponseOutcome.alreadyDone("no longer in " + copy.folder());
                    }
                    if (expunge) {
                        message.setFlag(Flags.Flag.DELETED, true);
                        folder.expunge(new Message[] {message});
                        return ResponseOutcome.done("expunged from " + copy.folder());
                    }
                    Folder hidden = store.getFolder(hiddenFolder);
                    if (!hidden.exists()) {
                        hidden.create(Folder.HOLDS_MESSAGES);
                        hidden.setSubscribed(false);
                    }
                    folder.moveMessages(new Message[] {message}, hidden);
                    return ResponseOutcome.done("moved from " + copy.folder() + " to the hidden folder");
                } finally {
                    if (folder.isOpen()) {
                        folder.close(false);
                    }
                }
            });
        } catch (MailboxException e) {
            return e.outcome();
        }
    }

    @Override
    public ResponseOutcome reinsert(String mailbox, String folderName, InputStream raw) throws Exception {
        byte[] bytes = raw.readAllBytes();
        try {
            return withStore(mailbox, (session, store) -> {
                IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
                if (!folder.exists()) {
                    folder.create(Folder.HOLDS_MESSAGES);
                }
                MimeMessage message = new RawMessage(session, bytes);
                AppendUID[] uids = folder.appendUIDMessages(new Message[] {message});
                if (uids != null && uids.length == 1 && uids[0] != null) {
                    return ResponseOutcome.done(ExactMatch.providerId(uids[0].uidvalidity, uids[0].uid));
                }
                return new ResponseOutcome(
                        ResponseOutcome.Status.DONE,
                        NO_PROVIDER_ID,
                        "appended to " + folderName + " (the server reports no APPENDUID)",
                        null);
            });
        } catch (MailboxException e) {
            return e.outcome();
        }
    }

    // ---- folders ----

    @Override
    public List<MailboxCopy> list(String mailbox, String folderName, int max) throws Exception {
        return withStore(mailbox, (session, store) -> {
            IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
            if (!folder.exists()) {
                throw new MailboxException(ResponseOutcome.notFound("no folder " + folderName + " in " + mailbox));
            }
            folder.open(Folder.READ_ONLY);
            try {
                int count = folder.getMessageCount();
                List<MailboxCopy> out = new ArrayList<>();
                if (count <= 0 || max <= 0) {
                    return out;
                }
                Message[] messages = folder.getMessages(1, Math.min(count, max));
                FetchProfile profile = new FetchProfile();
                profile.add(UIDFolder.FetchProfileItem.UID);
                folder.fetch(messages, profile);
                long validity = folder.getUIDValidity();
                for (Message message : messages) {
                    if (message.isExpunged()) {
                        continue;
                    }
                    out.add(new MailboxCopy(
                            mailbox,
                            folder.getFullName(),
                            ExactMatch.providerId(validity, folder.getUID(message)),
                            null));
                }
                return out;
            } finally {
                folder.close(false);
            }
        });
    }

    @Override
    public ResponseOutcome move(MailboxCopy copy, String targetFolder) throws Exception {
        try {
            return withStore(copy.mailbox(), (session, store) -> {
                boolean atomic = store.hasCapability("MOVE");
                if (!atomic && !store.hasCapability("UIDPLUS")) {
                    return ResponseOutcome.permanentFailure(
                            "no-move", "the server has neither MOVE nor UIDPLUS; a move could expunge other mail");
                }
                IMAPFolder target = (IMAPFolder) store.getFolder(targetFolder);
                if (!target.exists() && !target.create(Folder.HOLDS_MESSAGES)) {
                    return ResponseOutcome.permanentFailure("create", "cannot create folder " + targetFolder);
                }
                IMAPFolder folder = (IMAPFolder) store.getFolder(copy.folder());
                folder.open(Folder.READ_WRITE);
                try {
                    Message message = locate(folder, copy);
                    if (message == null) {
                        return ResponseOutcome.notFound("no longer in " + copy.folder());
                    }
                    Message[] one = {message};
                    if (atomic) {
                        folder.moveMessages(one, target);
                    } else {
                        folder.copyMessages(one, target);
                        message.setFlag(Flags.Flag.DELETED, true);
                        folder.expunge(one);
                    }
                    return ResponseOutcome.done("moved from " + copy.folder() + " to " + targetFolder);
                } finally {
                    if (folder.isOpen()) {
                        folder.close(false);
                    }
                }
            });
        } catch (MailboxException e) {
            return e.outcome();
        }
    }

    /** A message that writes exactly the bytes it was made from, so that a re-inserted copy is byte-identical. */
    private static final class RawMessage extends MimeMessage {
        private final byte[] bytes;

        RawMessage(Session session, byte[] bytes) throws MessagingException {
            super(session, new ByteArrayInputStream(bytes));
            this.bytes = bytes;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public void writeTo(OutputStream out, String[] ignoreList) throws IOException {
            out.write(bytes);
        }
    }
}
