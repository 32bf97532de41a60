package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.After;
import org.junit.Test;
import org.sluice.itests.harness.Poll;
import org.sluice.itests.harness.SluiceProcess;

/**
 * Notifications survive SIGKILL (issue 6): the external server renders abuse feedback for several reporters into
 * queued jobs and sends them to an SMTP server in this JVM (GreenMail on loopback). It is killed once between
 * rendering and sending (crash point {@code notify.before-send}: nothing may be lost) and once between sending and
 * recording (crash point {@code notify.after-send}: the one duplicate this causes must carry the same Message-ID).
 * After the last restart every reporter has exactly one mail, or two with one Message-ID. One worker thread makes the
 * kills land on exactly one job each. Plain JUnit driving the external-process harness; honours
 * {@code -Dsluice.itest.db}.
 */
public class NotificationCrashIT {

    private static final int REPORTERS = 6;
    /** Long enough that the worker does not give up on the stopped call (timeout below the lease) before the kill. */
    private static final int LEASE_SECONDS = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/sluice/api/v1";

    private SluiceProcess server;
    private GreenMail smtp;

    @After
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    public void killedBetweenRenderingAndSendingEveryReporterGetsOneMailOrOneSameIdDuplicate() throws Exception {
        String db = System.getProperty("sluice.itest.db", "h2");
        int smtpPort = SluiceProcess.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();

        server = SluiceProcess.unpack("notify-crash-" + db);
        if (db.equals("postgresql")) {
            server.usePostgres(
                    SluiceTestSupport.createPostgresDatabase(),
                    System.getProperty("sluice.itest.pg.user"),
                    System.getProperty("sluice.itest.pg.password"));
        }
        server.set("etc/org.sluice.queue.cfg", "workerThreads", "1")
                .set("etc/org.sluice.queue.cfg", "pollIntervalMillis", "200")
                .set("etc/org.sluice.queue.cfg", "leaseSeconds", String.valueOf(LEASE_SECONDS))
                .set("etc/org.sluice.queue.cfg", "callTimeoutSeconds", String.valueOf(LEASE_SECONDS - 2))
                .set("etc/org.sluice.notify.smtp.cfg", "host", "127.0.0.1")
                .set("etc/org.sluice.notify.smtp.cfg", "port", String.valueOf(smtpPort))
                .set("etc/org.sluice.notify.smtp.cfg", "security", "none")
                .set("etc/org.sluice.notify.smtp.cfg", "from", "sluice@example.org")
                .set("etc/org.sluice.notify.smtp.cfg", "timeout_seconds", "10")
                // The third send stops after rendering and claiming, before SMTP.
                .crashPoints("notify.before-send@3");
        server.start();
        server.awaitHealthy(Duration.ofMinutes(2));
        String key = apiKey();
        put(key, "/settings", "{\"domains.internal\":[\"example.org\"],\"clear.policy.malicious.feedback\":true}");

        String reported = phish("crash-" + UUID.randomUUID() + "@invoices-evil.test");
        List<String> reporters = new ArrayList<>();
        long incident = -1;
        for (int i = 0; i < REPORTERS; i++) {
            String reporter =
                    "reporter" + i + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";
            reporters.add(reporter);
            JsonNode outcome = upload(key, AbuseFeedbackIT.report(reporter, true, reported));
            assertEquals(
                    outcome.toString(), "Malicious", outcome.get("disposition").asText());
            incident = outcome.get("incident_id").asLong();
        }

        server.awaitCrashPoint("notify.before-send", Duration.ofMinutes(1));
        server.kill();
        int sentBeforeFirstKill = smtp.getReceivedMessages().length;
        assertEquals("two sent, the third stopped before SMTP", 2, sentBeforeFirstKill);

        // The first send of the new process gets through SMTP and is killed before the queue records it.
        // The queue starts working before the server reports healthy: wait for the point, not for health.
        server.crashPoints("notify.after-send@1");
        server.start();
        server.awaitCrashPoint("notify.after-send", Duration.ofMinutes(2));
        server.kill();
        assertEquals(sentBeforeFirstKill + 1, smtp.getReceivedMessages().length);

        server.crashPoints(null);
        server.start();
        server.awaitHealthy(Duration.ofMinutes(2));
        Poll.until(Duration.ofMinutes(2), () -> {
            for (String reporter : reporters) {
                if (mailTo(reporter).isEmpty()) {
                    return false;
                }
            }
            return true;
        });
        // Time for any further (wrong) sends: a lease and some polls.
        Thread.sleep((LEASE_SECONDS + 4) * 1_000L);

        int duplicates = 0;
        for (String reporter : reporters) {
            List<MimeMessage> mails = mailTo(reporter);
            Set<String> ids = new HashSet<>();
            for (MimeMessage mail : mails) {
                ids.add(mail.getMessageID());
                assertEquals(
                        "The message you reported was malicious",
                        mail.getSubject().replace("Sluice Threat Response: ", ""));
            }
            assertTrue(reporter + " got " + mails.size() + " mails", mails.size() == 1 || mails.size() == 2);
            assertEquals(reporter + ": a duplicate carries the same Message-ID " + ids, 1, ids.size());
            duplicates += mails.size() - 1;
        }
        assertEquals("exactly the send killed before its recording was repeated", 1, duplicates);
        assertEquals(REPORTERS + 1, smtp.getReceivedMessages().length);

        // Every reporter is in the incident's list of who was told, once the jobs were recorded.
        long incidentId = incident;
        Poll.until(Duration.ofSeconds(30), () -> {
            JsonNode notified = get(key, "/incidents/" + incidentId).get("notified");
            Set<String> told = new HashSet<>();
            notified.forEach(n -> told.add(n.get("user").asText()));
            return told.equals(new HashSet<>(reporters));
        });
    }

    private String apiKey() throws Exception {
        String output = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                output = server.shell("sluice:apikey-create notify-crash-it admin");
                String[] lines = output.strip().split("\\R");
                for (int i = 0; i + 1 < lines.length; i++) {
                    if (lines[i].startsWith("API key ")) {
                        return lines[i + 1].strip();
                    }
                }
            } catch (IllegalStateException | IOException e) {
                output = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no API key from the shell: " + output);
    }

    private static String phish(String messageId) {
        return "From: Billing <billing@invoices-evil.test>\r\nTo: staff@example.org\r\nSubject: Overdue invoice\r\n"
                + "Date: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <" + messageId + ">\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"ph\"\r\n\r\n"
                + "--ph\r\nContent-Type: text/plain\r\n\r\nPlease pay the attached invoice today.\r\n"
                + "--ph\r\nContent-Type: application/octet-stream; name=\"invoice.exe\"\r\n"
                + "Content-Disposition: attachment; filename=\"invoice.exe\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nTVogbm90IHJlYWxseSBhIHByb2dyYW0=\r\n--ph--\r\n";
    }

    private List<MimeMessage> mailTo(String recipient) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            for (jakarta.mail.Address address : message.getAllRecipients()) {
                if (((InternetAddress) address).getAddress().equalsIgnoreCase(recipient)) {
                    out.add(message);
                }
            }
        }
        return out;
    }

    private JsonNode upload(String key, byte[] report) throws Exception {
        return exchange("POST", key, "/clear/reports", report, "message/rfc822");
    }

    private void put(String key, String path, String json) throws Exception {
        exchange("PUT", key, path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private JsonNode get(String key, String path) throws Exception {
        return exchange("GET", key, path, null, null);
    }

    /** One call to the own API of the harness's process, on loopback, trusting its self-signed certificate. */
    private JsonNode exchange(String method, String key, String path, byte[] body, String type) throws Exception {
        HttpsURLConnection connection =
                (HttpsURLConnection) new URL("https://127.0.0.1:" + server.httpsPort() + API + path).openConnection();
        connection.setSSLSocketFactory(TRUST_OWN_PROCESS.getSocketFactory());
        connection.setHostnameVerifier((host, session) -> "127.0.0.1".equals(host));
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(60_000);
        connection.setRequestProperty("Authorization", "Bearer " + key);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", type);
            connection.getOutputStream().write(body);
        }
        int status = connection.getResponseCode();
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(method + " " + path + ": HTTP " + status + " " + text, status >= 200 && status < 300);
        return JSON.readTree(text);
    }

    /** The harness talks only to the process it started, on loopback, and accepts its first-start certificate. */
    private static final SSLContext TRUST_OWN_PROCESS = trustAny();

    private static SSLContext trustAny() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
