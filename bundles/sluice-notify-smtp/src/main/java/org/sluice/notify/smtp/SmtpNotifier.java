package org.sluice.notify.smtp;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.notify.Notifier;
import org.sluice.api.notify.OutgoingMessage;
import org.sluice.api.response.ResponseOutcome;

/**
 * The {@code smtp} notifier: sends each notification as one multipart/alternative message (plain text and, when
 * present, HTML) through the configured SMTP server, with plain SMTP, STARTTLS (required, not merely attempted) or
 * TLS from the first byte, and authentication when a user name is set. The message's Message-ID is the one the
 * response queue gave it, the same on every attempt. The service exists only while PID {@code org.sluice.notify.smtp}
 * is configured; its password may be written as {@code ENC(...)}, which the boot bundle decrypts before this
 * component sees it.
 */
@Component(
        service = Notifier.class,
        configurationPid = SmtpNotifier.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = Notifier.TYPE_PROPERTY + "=smtp")
@Designate(ocd = SmtpNotifier.Config.class)
public class SmtpNotifier implements Notifier {

    static final String PID = "org.sluice.notify.smtp";

    /** The SMTP server and sender. */
    @ObjectClassDefinition(name = "Sluice SMTP notifier", description = "Outgoing mail for notifications")
    public @interface Config {
        @AttributeDefinition(description = "SMTP server host name")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "SMTP server port (25, 587 for STARTTLS, 465 for TLS)")
        int port() default 25;

        @AttributeDefinition(description = "none, starttls or tls")
        String security() default "starttls";

        @AttributeDefinition(description = "User name; empty for no authentication")
        String username() default "";

        @AttributeDefinition(description = "Password, preferably as ENC(...)", type = AttributeType.PASSWORD)
        String password() default "";

        @AttributeDefinition(description = "Sender address of notifications")
        String from();

        @AttributeDefinition(description = "Connect, read and write timeout in seconds")
        int timeout_seconds() default 30;

        @AttributeDefinition(
                description =
                        "Host names whose TLS certificate is trusted without any verification (test servers only)")
        String ssl_trust() default "";
    }

    /** How the connection is secured. */
    enum Security {
        NONE,
        STARTTLS,
        TLS
    }

    private static final Duration RETRY_SOON = Duration.ofMinutes(1);

    private final Logger logger = LoggerFactory.getLogger(SmtpNotifier.class);
    private volatile Settings settings;

    /** The effective configuration, checked. */
    record Settings(
            String host,
            int port,
            Security security,
            String username,
            String password,
            InternetAddress from,
            int timeoutMillis,
            String sslTrust) {}

    @Activate
    public SmtpNotifier(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        this.settings = check(config);
        logger.info(
                "SMTP notifier: {}:{} ({}), {}",
                settings.host(),
                settings.port(),
                settings.security().name().toLowerCase(Locale.ROOT),
                settings.username().isEmpty() ? "no authentication" : "authenticated as " + settings.username());
    }

    static Settings check(Config config) {
        String host = config.host() == null ? "" : config.host().strip();
        if (host.isEmpty()) {
            throw new IllegalArgumentException(PID + ": host must be set");
        }
        if (config.port() < 1 || config.port() > 65_535) {
            throw new IllegalArgumentException(PID + ": port must be 1 to 65535, not " + config.port());
        }
        Security security;
        try {
            security = Security.valueOf(config.security().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    PID + ": security must be none, starttls or tls, not '" + config.security() + "'");
        }
        InternetAddress from;
        try {
            from = new InternetAddress(config.from(), true);
        } catch (AddressException | NullPointerException e) {
            throw new IllegalArgumentException(PID + ": from is not a valid address: '" + config.from() + "'");
        }
        int timeout = Math.max(1, config.timeout_seconds()) * 1000;
        return new Settings(
                host,
                config.port(),
                security,
                config.username() == null ? "" : config.username().strip(),
                config.password() == null ? "" : config.password(),
                from,
                timeout,
                config.ssl_trust() == null ? "" : config.ssl_trust().strip());
    }

    @Override
    public String type() {
        return "smtp";
    }

    @Override
    public ResponseOutcome send(OutgoingMessage message) throws Exception {
        Settings s = settings;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Angus Mail finds its providers and MIME handlers through the context class loader: this bundle's own.
        thread.setContextClassLoader(SmtpNotifier.class.getClassLoader());
        try {
            Session session = Session.getInstance(properties(s));
            MimeMessage mime = build(session, s, message);
            try (Transport transport = session.getTransport(s.security() == Security.TLS ? "smtps" : "smtp")) {
                transport.connect(
                        s.host(),
                        s.port(),
                        s.username().isEmpty() ? null : s.username(),
                        s.username().isEmpty() ? null : s.password());
                transport.sendMessage(mime, mime.getAllRecipients());
            }
            logger.debug(
                    "Notification <{}> sent to {} recipient(s)",
                    message.messageId(),
                    message.to().size());
            return ResponseOutcome.done("sent to " + message.to().size() + " recipient(s)");
        } catch (AuthenticationFailedException e) {
            return ResponseOutcome.retryable("auth", "the SMTP server refused the credentials", RETRY_SOON);
        } catch (SMTPAddressFailedException e) {
            return e.getReturnCode() >= 500
                    ? ResponseOutcome.permanentFailure(String.valueOf(e.getReturnCode()), "recipient refused")
                    : ResponseOutcome.retryable(String.valueOf(e.getReturnCode()), "recipient deferred", null);
        } catch (SMTPSendFailedException e) {
            return e.getReturnCode() >= 500
                    ? ResponseOutcome.permanentFailure(String.valueOf(e.getReturnCode()), "message refused")
                    : ResponseOutcome.retryable(String.valueOf(e.getReturnCode()), "message deferred", null);
        } catch (SendFailedException e) {
            return ResponseOutcome.permanentFailure(null, "no valid recipient");
        } catch (MessagingException e) {
            return ResponseOutcome.retryable(null, "SMTP failed: " + shortReason(e), null);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static Properties properties(Settings s) {
        Properties p = new Properties();
        String proto = s.security() == Security.TLS ? "smtps" : "smtp";
        String prefix = "mail." + proto + ".";
        p.put(prefix + "host", s.host());
        p.put(prefix + "port", String.valueOf(s.port()));
        p.put(prefix + "auth", String.valueOf(!s.username().isEmpty()));
        p.put(prefix + "connectiontimeout", String.valueOf(s.timeoutMillis()));
        p.put(prefix + "timeout", String.valueOf(s.timeoutMillis()));
        p.put(prefix + "writetimeout", String.valueOf(s.timeoutMillis()));
        if (s.security() == Security.STARTTLS) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (s.security() != Security.NONE) {
            boolean trusted = !s.sslTrust().isEmpty();
            // A trusted test host is trusted entirely: neither its chain nor its name is checked.
            p.put(prefix + "ssl.checkserveridentity", String.valueOf(!trusted));
            if (trusted) {
                p.put(prefix + "ssl.trust", s.sslTrust());
            }
        }
        return p;
    }

    static MimeMessage build(Session session, Settings s, OutgoingMessage message) throws MessagingException {
        String id = "<" + oneLine(message.messageId()) + ">";
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        mime.setFrom(message.from() == null ? s.from() : new InternetAddress(oneLine(message.from()), true));
        List<Address> to = new ArrayList<>();
        for (String address : message.to()) {
            to.add(new InternetAddress(oneLine(address), true));
        }
        mime.setRecipients(MimeMessage.RecipientType.TO, to.toArray(new Address[0]));
        mime.setSubject(oneLine(message.subject()), StandardCharsets.UTF_8.name());
        mime.setSentDate(new Date());
        mime.setHeader("Auto-Submitted", "auto-generated");
        mime.setHeader("X-Auto-Response-Suppress", "All");
        if (message.html() == null) {
            mime.setText(message.text(), StandardCharsets.UTF_8.name());
        } else {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(message.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setText(message.html(), StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            mime.setContent(alternative);
        }
        mime.saveChanges();
        return mime;
    }

    /** Header values never carry line breaks, whatever the caller passed. */
    static String oneLine(String value) {
        return value == null
                ? ""
                : value.replaceAll("[\\r\\n\\u0000-\\u001f\\u007f]+", " ").strip();
    }

    private static String shortReason(MessagingException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String text = cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + oneLine(cause.getMessage()));
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
