package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.After;
import org.junit.Test;
import org.sluice.itests.harness.SluiceProcess;
import org.sluice.itests.imap.Dovecot;
import org.sluice.itests.imap.MiniImap;

/**
 * The abuse-mailbox source survives SIGKILL at its two dangerous steps: between filing a report and moving it to the
 * processed folder ({@code clear.before-move}), and during the analysis of a report, after its raw bytes are kept but
 * before its alert is filed ({@code clear.analysing}). After a clean restart every report has been processed exactly
 * once: one incident with one alert per report, every report in the processed folder, none left in the inbox. Dovecot
 * runs in this JVM; the real distribution, started by the external-process harness, reaches it on 127.0.0.1.
 */
public class AbuseMailboxCrashIT {

    private static final int REPORTS = 6;
    private static final String ABUSE = "abuse@corp.example";
    private static final String CONNECTOR = "etc/org.sluice.connector.imap-crash.cfg";
    private static final String SOURCE = "etc/org.sluice.source.clear-crash.cfg";

    private SluiceProcess server;
    private Dovecot dovecot;

    @After
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (dovecot != null) {
            dovecot.close();
        }
    }

    /** A report (unauthenticated: no internal domains are configured) of a distinct phish, attached as rfc822. */
    private static byte[] report(int n, String run) {
        String reported = "From: Mail Admin <admin@mailbox-evil.test>\r\nTo: alice@corp.example\r\n"
                + "Subject: Crash report " + n + "\r\nDate: Thu, 03 Dec 2026 07:00:00 +0000\r\n"
                + "Message-ID: <crash-" + n + "-" + run + "@mailbox-evil.test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Your mailbox is full. Verify your password at https://mailbox-evil.test/login today.\r\n";
        return ("From: <alice@corp.example>\r\nTo: " + ABUSE + "\r\nSubject: Fwd: Crash report " + n + "\r\n"
                        + "Date: Fri, 04 Dec 2026 09:00:00 +0000\r\nMessage-ID: <report-" + n + "-" + run
                        + "@corp.example>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=\"rep\"\r\n\r\n"
                        + "--rep\r\nContent-Type: text/plain\r\n\r\nPhish?\r\n"
                        + "--rep\r\nContent-Type: message/rfc822\r\n\r\n" + reported + "\r\n--rep--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private int count(String folder) throws IOException {
        try (MiniImap abuse = dovecot.as(ABUSE)) {
            return abuse.folders().contains(folder) ? abuse.messages(folder).size() : 0;
        }
    }

    @Test
    public void everyReportIsProcessedExactlyOnceAcrossKills() throws Exception {
        Dovecot.assumeInstalled();
        dovecot = Dovecot.start(List.of(ABUSE), "m-" + UUID.randomUUID());
        String run = UUID.randomUUID().toString();
        try (MiniImap abuse = dovecot.as(ABUSE)) {
            for (int n = 1; n <= REPORTS; n++) {
                abuse.append("INBOX", report(n, run));
            }
        }

        String db = System.getProperty("sluice.itest.db", "h2");
        server = SluiceProcess.unpack("clear-crash-" + db);
        if (db.equals("postgresql")) {
            server.usePostgres(
                    SluiceTestSupport.createPostgresDatabase(),
                    System.getProperty("sluice.itest.pg.user"),
                    System.getProperty("sluice.itest.pg.password"));
        }
        server.set(CONNECTOR, "instance", "crash-imap")
                .set(CONNECTOR, "host", "127.0.0.1")
                .set(CONNECTOR, "port", String.valueOf(dovecot.port()))
                .set(CONNECTOR, "security", "none")
                .set(CONNECTOR, "auth", "master")
                .set(CONNECTOR, "admin.user", Dovecot.MASTER_USER)
                .set(CONNECTOR, "admin.password", dovecot.masterPassword())
                .set(SOURCE, "name", "crash")
                .set(SOURCE, "connector", "crash-imap")
                .set(SOURCE, "mailbox", ABUSE)
                .set(SOURCE, "poll.seconds", "1")
                .set(SOURCE, "max.backoff.seconds", "2");

        // 1. The third report is filed but not yet moved when the server dies.
        server.crashPoints("clear.before-move@3");
        server.start();
        server.awaitCrashPoint("clear.before-move", Duration.ofMinutes(3));
        server.kill();
        assertEquals("two reports were moved before the kill", 2, count("Processed"));
        assertEquals(REPORTS - 2, count("INBOX"));

        // 2. The next start dies while analysing: the report filed before the first kill passes the point once more
        // (it is analysed again, then found filed), the one after it stops there, its raw bytes kept but not filed.
        server.crashPoints("clear.analysing@2");
        server.start();
        server.awaitCrashPoint("clear.analysing", Duration.ofMinutes(3));
        server.kill();
        assertEquals(REPORTS - count("Processed"), count("INBOX"));
        assertTrue("the analysis crash left work to do", count("INBOX") >= REPORTS - 3);

        // 3. A clean start finishes the rest.
        server.crashPoints(null);
        server.start();
        server.awaitHealthy(Duration.ofMinutes(2));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while ((count("INBOX") > 0 || count("Processed") < REPORTS) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertEquals("nothing left in the inbox", 0, count("INBOX"));
        assertEquals("every report in Processed, once", REPORTS, count("Processed"));

        Map<Integer, Integer> alertsByReport = new HashMap<>();
        String listing = server.shell("sluice:incident-list --no-format --limit 500");
        for (String line : listing.split("\\R")) {
            String[] fields = line.strip().split("\t");
            if (fields.length < 6 || !fields[5].contains("Crash report ")) {
                continue;
            }
            int n = Integer.parseInt(
                    fields[5].substring(fields[5].indexOf("Crash report ") + 13).strip());
            alertsByReport.merge(n, Integer.parseInt(fields[3].strip()), Integer::sum);
        }
        Map<Integer, Integer> expected = new HashMap<>();
        for (int n = 1; n <= REPORTS; n++) {
            expected.put(n, 1);
        }
        assertEquals("one incident with one alert per report: " + listing, expected, alertsByReport);
    }
}
