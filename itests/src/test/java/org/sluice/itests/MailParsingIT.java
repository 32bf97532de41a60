package org.sluice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.sluice.mail.Attachment;
import org.sluice.mail.FindingKind;
import org.sluice.mail.MailParser;
import org.sluice.mail.MessageFormat;
import org.sluice.mail.ParsedMessage;

/**
 * The mail analysis bundle resolves and starts in the distribution with its embedded libraries (mime4j, jsoup, Tika
 * core, POI), and parses an Outlook .msg, a TNEF stream and a MIME message with an attachment inside Karaf.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MailParsingIT extends SluiceTestSupport {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void theMailBundleIsActiveInTheDistribution() {
        Bundle mail = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("sluice-mail"))
                .findFirst()
                .orElse(null);

        assertNotNull("bundle sluice-mail is installed", mail);
        assertEquals("sluice-mail state", Bundle.ACTIVE, mail.getState());
    }

    @Test
    public void parsesAnOutlookMessageInsideKaraf() throws Exception {
        ParsedMessage message = new MailParser().parse(corpus("msg/mail-parser_mail_outlook_1.msg"));

        assertEquals(MessageFormat.OUTLOOK_MSG, message.format());
        // Subject and sender as Outlook shows them for this file.
        assertEquals("Newsletter Prüfung Personalwesen / Prüfung Eröffnungsbilanz", message.subject());
        assertEquals("NueblingV@w-vwa.de", message.fromAddress().orElseThrow().address());
        assertTrue(
                "images sniffed by Tika",
                message.attachments().stream()
                        .anyMatch(a -> a.fileName().equals("newsletter.png")
                                && a.detectedType().equals("image/png")));
        assertTrue("HTML body read with jsoup: URLs found", !message.urls().isEmpty());
        assertTrue(message.findings().toString(), !message.has(FindingKind.PARSE_ERROR));
    }

    @Test
    public void parsesATnefStreamInsideKaraf() throws Exception {
        ParsedMessage message = new MailParser().parse(corpus("tnef/data-before-name.tnef"));

        assertEquals(MessageFormat.TNEF, message.format());
        // MimeKit's own expectation list for this stream (body.rtf there is the body, not an attachment).
        assertEquals(
                List.of("AUTOEXEC.BAT", "CONFIG.SYS", "boot.ini"),
                message.attachments().stream().map(Attachment::fileName).toList());
        assertEquals("text/rtf", message.textParts().get(0).contentType());
    }

    @Test
    public void parsesAMimeMessageWithAPdfInsideKaraf() throws Exception {
        ParsedMessage message = new MailParser().parse(corpus("eml/phishing_pot/sample-96.eml"));

        Attachment pdf = message.attachments().get(0);
        assertEquals("application/pdf", pdf.detectedType());
        assertEquals(64, pdf.sha256().length());
        assertTrue(message.findings().toString(), message.findings().isEmpty());
    }

    private static byte[] corpus(String relative) throws Exception {
        Path file = Path.of(System.getProperty("sluice.itest.corpus"), relative);
        if (!Files.exists(file)) {
            System.err.println("SKIPPED: corpus file " + file + " is absent");
        }
        assumeTrue("corpus file " + file + " present", Files.exists(file));
        return Files.readAllBytes(file);
    }
}
