package org.sluice.notify.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sluice.api.notify.OutgoingMessage;
import org.sluice.api.response.ResponseOutcome;

class SmtpNotifierTest {

    @Test
    void sendsBothFormatsWithTheGivenMessageIdOverTlsWithAuthentication() throws Exception {
        GreenMail server = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTPS))
                .withConfiguration(
                        GreenMailConfiguration.aConfig().withUser("notify@corp.example", "notify", "s3cret"));
        server.start();
        try {
            SmtpNotifier notifier = new SmtpNotifier(
                    config("127.0.0.1", server.getSmtps().getPort(), "tls", "notify", "s3cret", "127.0.0.1"));
            ResponseOutcome outcome = notifier.send(new OutgoingMessage(
                    "42.abc@notify.sluice.invalid",
                    null,
                    List.of("alice@corp.example"),
                    "Sluice Threat Response: A message was removed",
                    "plain body",
                    "<p>html body</p>"));
            assertEquals(ResponseOutcome.Status.DONE, outcome.status(), outcome.detail());
            MimeMessage[] received = server.getReceivedMessages();
            assertEquals(1, received.length);
            assertEquals("<42.abc@notify.sluice.invalid>", received[0].getMessageID());
            assertEquals("Sluice Threat Response: A message was removed", received[0].getSubject());
            assertEquals("sluice@corp.example", received[0].getFrom()[0].toString());
            MimeMultipart parts = (MimeMultipart) received[0].getContent();
            assertEquals(2, parts.getCount());
            assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
            assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        } finally {
            server.stop();
        }
    }

    @Test
    void starttlsIsRequiredNeverSkippedWhenTheServerDoesNotOfferIt() throws Exception {
        // GreenMail's SMTP does not offer STARTTLS: the password must not go over plain text, nor the message.
        GreenMail server = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(
                        GreenMailConfiguration.aConfig().withUser("notify@corp.example", "notify", "s3cret"));
        server.start();
        try {
            SmtpNotifier notifier = new SmtpNotifier(
                    config("127.0.0.1", server.getSmtp().getPort(), "starttls", "notify", "s3cret", ""));
            ResponseOutcome outcome = notifier.send(
                    new OutgoingMessage("2.x@notify.sluice.invalid", null, List.of("a@corp.example"), "s", "t", null));
            assertEquals(ResponseOutcome.Status.RETRYABLE, outcome.status(), outcome.detail());
            assertEquals(0, server.getReceivedMessages().length);

            SmtpNotifier plain =
                    new SmtpNotifier(config("127.0.0.1", server.getSmtp().getPort(), "none", "notify", "s3cret", ""));
            assertEquals(
                    ResponseOutcome.Status.DONE,
                    plain.send(new OutgoingMessage(
                                    "3.x@notify.sluice.invalid", null, List.of("a@corp.example"), "s", "t", null))
                            .status());
            assertEquals(1, server.getReceivedMessages().length);
            assertEquals("text/plain; charset=UTF-8", server.getReceivedMessages()[0].getContentType());
        } finally {
            server.stop();
        }
    }

    @Test
    void anUnreachableServerIsRetryable() throws Exception {
        SmtpNotifier notifier = new SmtpNotifier(config("127.0.0.1", freePort(), "none", "", "", ""));
        ResponseOutcome outcome = notifier.send(
                new OutgoingMessage("1.x@notify.sluice.invalid", null, List.of("a@corp.example"), "s", "t", null));
        assertEquals(ResponseOutcome.Status.RETRYABLE, outcome.status());
    }

    @Test
    void badConfigurationIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new SmtpNotifier(config("h", 25, "ssl3", "", "", "")));
        assertTrue(e.getMessage().contains("security"), e.getMessage());
    }

    @Test
    void headerValuesLoseLineBreaks() {
        assertEquals("a Bcc: x", SmtpNotifier.oneLine("a\r\nBcc: x"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static SmtpNotifier.Config config(
            String host, int port, String security, String user, String password, String trust) {
        return new SmtpNotifier.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SmtpNotifier.Config.class;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String security() {
                return security;
            }

            @Override
            public String username() {
                return user;
            }

            @Override
            public String password() {
                return password;
            }

            @Override
            public String from() {
                return "sluice@corp.example";
            }

            @Override
            public int timeout_seconds() {
                return 5;
            }

            @Override
            public String ssl_trust() {
                return trust;
            }
        };
    }
}
