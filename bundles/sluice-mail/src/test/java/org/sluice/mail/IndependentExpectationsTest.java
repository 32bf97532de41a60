package org.sluice.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Decoded values of corpus messages checked against expectations that do not come from this parser. Each test says
 * where its expected values come from: the source project's own tests (mail-parser, tnefparse, MimeKit), or the raw
 * file read by hand, with encoded parts decoded independently (byte by byte, or with another implementation such as
 * Python's email package, whose results were copied here as constants).
 */
class IndependentExpectationsTest {

    private final MailParser parser = new MailParser();

    private ParsedMessage parse(String relative) {
        return parser.parse(Corpus.bytes(relative));
    }

    private static List<String> names(List<Attachment> attachments) {
        return attachments.stream().map(Attachment::fileName).toList();
    }

    // ---- Encoded words, charsets, raw UTF-8 in headers

    @Test
    void gb2312SubjectInTwoEncodedWordsDecodesWithTheGbkCharactersSendersActuallyUse() {
        // Raw: two adjacent =?gb2312?B?...?= words; base64-decoded by hand, the bytes B4 8C are a GBK (not GB2312)
        // character, as in most mail labelled gb2312. Decoded with GBK: the text below.
        ParsedMessage m = parse("eml/mail-parser/mail_test_9");

        assertEquals("我把镜头拉近些，你们看看这个是什么屄，这种场合自然少不了内射", m.subject());
    }

    @Test
    void adjacentUtf8EncodedWordsAreJoinedWithoutTheFoldingSpace() {
        // Raw: Subject folded over two =?UTF-8?B?...?= words; From has a B-encoded display name.
        ParsedMessage m = parse("eml/mail-parser/mail_test_6");

        assertEquals("Быстрее вкладывайте в золото!", m.subject());
        assertEquals("Время пришло", m.from().get(0).displayName());
        assertEquals("noreply@ggg.com", m.from().get(0).address());
    }

    @Test
    void iso2022JpSubjectSplitOverTwoEncodedWordsDecodes() {
        // Raw: =?ISO-2022-JP?B?GyRCRnxLXDhsJWEhPCVrJUYlOSVIGyhCICh0ZXN0aW5nIEph?=
        // =?ISO-2022-JP?B?cGFuZXNlIGVtYWlscyk=?=
        // (the ASCII "Ja" / "panese" split across the words); MimeKit's test data, subject as MimeKit's tests read it.
        ParsedMessage m = parse("eml/mimekit/japanese.eml");

        assertEquals("日本語メールテスト (testing Japanese emails)", m.subject());
        assertEquals(Instant.parse("2015-07-21T16:02:29Z"), m.date());
    }

    @Test
    void rawUtf8InHeadersIsReadAsUtf8() {
        // Raw bytes: "Jan\xc3\xa9 Doe" and "\xc3\xa9\xc3\xa8\xc3\xa0\xc3\xb6\xc3\xbc\xc3\xa4" (UTF-8, no encoded
        // words).
        ParsedMessage m = parse("eml/eml_parser/sample_email_in_from.eml");

        assertEquals("Test subject éèàöüä${}", m.subject());
        assertEquals("Jané Doe", m.to().get(0).displayName());
        assertEquals("jane.doe@example.com", m.to().get(0).address());
        assertEquals("james.doe@example.com", m.to().get(1).address());
        assertEquals("john@fake-example.com", m.from().get(0).displayName());
        assertEquals("john@example.com", m.from().get(0).address());
    }

    @Test
    void cyrillicHomoglyphsInARawUtf8SubjectSurvive() {
        // Raw bytes: "G\xd0\xb5t A High L\xd0\xb5v\xd0\xb5l ..." (Cyrillic ie U+0435 and ghe U+0433 in UTF-8).
        ParsedMessage m = parse("eml/phishing_pot/sample-3535.eml");

        assertEquals(
                "G\u0435t A High L\u0435v\u0435l Of V\u0435hicle P\u0433ot\u0435ction Fo\u0433 A Low Monthly Cost",
                m.subject());
    }

    @Test
    void encodedWordsThatDecodeToLineBreaksNeverLeaveCrOrLfInValues() {
        // Raw: From: =?utf-8?q?=0A?= <badname@example.com>, To: =?utf-8?b?Cg==?= (LF), Cc: =?utf-8?q?=0D?= (CR).
        ParsedMessage m = parse("eml/eml_parser/sample_gh_issue_76.eml");

        for (HeaderField h : m.headers()) {
            assertFalse(h.value().contains("\r") || h.value().contains("\n"), h.name() + ": " + h.value());
        }
        assertEquals("", m.from().get(0).displayName());
        assertEquals("badname@example.com", m.from().get(0).address());
        assertEquals("badname@example.com", m.cc().get(0).address());
    }

    @Test
    void qEncodedDisplayNameWithACommaIsOneAddress() {
        // Raw: From: =?iso-8859-1?Q?Last=DFlName=2C_FirstName?= <comma.name@example.com> (DF is sharp s, 2C a comma);
        // Cc: simple@example.net, =?UTF-8?Q?John_=22Johnny=22_Doe?= <john.doe@example.com>.
        ParsedMessage m = parse("eml/mail-parser/mail_test_18");

        assertEquals(1, m.from().size());
        assertEquals("LastßlName, FirstName", m.from().get(0).displayName());
        assertEquals("comma.name@example.com", m.from().get(0).address());
        assertEquals("tony.stark@example.com", m.to().get(0).displayName());
        assertEquals(
                List.of("simple@example.net", "john.doe@example.com"),
                m.cc().stream().map(MailAddress::address).toList());
        assertEquals("John \"Johnny\" Doe", m.cc().get(1).displayName());
    }

    @Test
    void addressUsedAsDisplayNameIsKeptApartFromTheRealAddress() {
        // Raw: From: alice@example.com <bob@example.com>; Reply-To: henry@example.com <ivan@example.com>;
        // To: "Charlie Brown" <charlie@example.com>, dave@example.com.
        ParsedMessage m = parse("eml/mail-parser/mail_test_19");

        assertEquals("alice@example.com", m.from().get(0).displayName());
        assertEquals("bob@example.com", m.from().get(0).address());
        assertEquals("ivan@example.com", m.replyTo().get(0).address());
        assertEquals("henry@example.com", m.replyTo().get(0).displayName());
        assertEquals(
                List.of("charlie@example.com", "dave@example.com"),
                m.to().stream().map(MailAddress::address).toList());
        assertEquals("Charlie Brown", m.to().get(0).displayName());
        assertEquals("test-email-as-name@example.com", m.messageId());
    }

    @Test
    void lookalikeReplyToAndEmptyGroupRecipient() {
        // Raw: From: purchasing@aquillaindustries.com <do-not-reply@ncs.gov.ng>; To: Undisclosed-Recipients:;
        // Reply-To: purchasing@aquiIlaindustries.com (capital I for l).
        ParsedMessage m = parse("eml/mail-parser/mail_test_15");

        assertEquals("do-not-reply@ncs.gov.ng", m.from().get(0).address());
        assertEquals("purchasing@aquiIlaindustries.com", m.replyTo().get(0).address());
        assertEquals("aquiilaindustries.com", m.replyTo().get(0).domain());
        assertEquals(List.of(), m.to());
        assertEquals("Urgent Request for Order Quotation", m.subject());
    }

    @Test
    void emptyEncodedWordNullSenderAndInvalidDate() {
        // Raw: Date: 0001-01-01 00:00:00 +0000 UTC (not RFC 5322); From: <>; Subject: =?UTF-8?B??=.
        ParsedMessage m = parse("eml/eml_parser/sample_invalid_date1.eml");

        assertNull(m.date());
        assertTrue(m.has(FindingKind.BAD_DATE));
        assertEquals("0001-01-01 00:00:00 +0000 UTC", m.dateText());
        assertEquals("", m.from().get(0).address());
        assertEquals("", m.subject());
    }

    @Test
    void outOfRangeHourIsFlaggedNotRolledOver() {
        // CPython's test data: Date: Tue, 06 Jun 2017 27:39:33 +0600 (hour 27).
        ParsedMessage m = parse("eml/cpython/msg_47.txt");

        assertNull(m.date());
        assertTrue(m.has(FindingKind.BAD_DATE));
        assertEquals("123@abuse.net", m.from().get(0).displayName());
        assertEquals("123@example.com", m.from().get(0).address());
    }

    @Test
    void repeatedHeadersAreAllKeptInOrder() {
        // Raw: two Message-ID fields, <[id-domain.com]> then <[id@domain.com]>.
        ParsedMessage m = parse("eml/eml_parser/sample_gh_issue_79_2.eml");

        assertEquals(
                List.of("<[id-domain.com]>", "<[id@domain.com]>"),
                m.headers("message-id").stream().map(HeaderField::value).toList());
        assertEquals("[id-domain.com]", m.messageId());
    }

    // ---- Body charsets

    @Test
    void utf7HtmlBodyDecodesAndItsLinksAreFound() {
        // Raw: text/html; charset="utf-7", quoted-printable. Expected values from Python's utf-7 codec and
        // html.parser over the decoded body: the links and image below, and the copyright sign (+AKk-).
        ParsedMessage m = parse("eml/phishing_pot/sample-932.eml");

        TextPart html = m.textParts().get(0);
        assertEquals("UTF-7", html.charset());
        assertTrue(html.text().contains("© 2017 - 2023"), "decoded copyright line");
        List<String> urls = m.urls().stream().map(ExtractedUrl::url).toList();
        assertTrue(urls.contains("https://apps293.s3.us-east-2.amazonaws.com/s09823.html?=yuoggxng"), urls::toString);
        assertTrue(urls.contains("https://admonearasda.com"), urls::toString);
        assertTrue(urls.contains("https://joiparadise.com/wp-content/lido.png"), urls::toString);
    }

    @Test
    void protocolRelativeImageSourcesGetAScheme() {
        // Raw HTML: <img src="//162.0.228.240/track/3RPQ..."> beside an http:// tracking pixel.
        ParsedMessage m = parse("eml/phishing_pot/sample-3535.eml");

        assertTrue(m.urls().stream()
                .anyMatch(u -> u.source() == UrlSource.HTML_SRC
                        && u.url().startsWith("http://162.0.228.240/track/3RPQKl3739")));
        assertTrue(m.urlHosts().contains("162.0.228.240"));
    }

    @Test
    void iso2022JpLabelledBodyIsDecoded() {
        // Raw: text/plain;charset=iso-2022-jp, 8bit; its text (ASCII-range Portuguese) as Python decodes it.
        ParsedMessage m = parse("eml/phishing_pot/sample-3863.eml");

        assertEquals("ISO-2022-JP", m.textParts().get(0).charset());
        assertTrue(m.bodyText().contains("Eu sou o advogado pessoal Alexis Aquereburu de um investidor do Brasil"));
    }

    // ---- Attachments

    @Test
    void rfc2231FileNameIsPercentDecodedAsUtf8Bytes() {
        // Raw: filename*0*=utf-8''lnvoiceAttachement%CD%8F%CD%8F-66235.pdf; CD 8F is UTF-8 for U+034F (combining
        // grapheme joiner). Content "YXdkYXdk" is base64 for "awdawd"; its digests computed with sha256sum/md5sum.
        Attachment a = parse("eml/phishing_pot/sample-274.eml").attachments().get(0);

        assertEquals("lnvoiceAttachement\u034F\u034F-66235.pdf", a.fileName());
        assertEquals(6, a.size());
        assertEquals("b8120cbdf388ff2e8e7f40f0d07733d797a0cfe67440019b548d190b4498e25a", a.sha256());
        assertEquals("189342e2ed9d23bb9a02ecbf8ed06762", a.md5());
        assertEquals("application/pdf", a.declaredType());
        assertEquals("text/plain", a.detectedType());
    }

    @Test
    void rfc2231Latin1FileNameWinsOverTheEncodedWordName() {
        // Raw: filename*=ISO-8859-1''%61%74%74%61%63%68%6D%65%6E%74%2E%E4%F6%FC ("attachment." + E4 F6 FC in Latin-1).
        Attachment a = parse("eml/mime4j/mimetools-attachment-filename-encoding-Latin1.eml")
                .attachments()
                .get(0);

        assertEquals("attachment.äöü", a.fileName());
    }

    @Test
    void pdfZipAndPngAttachmentsWithDigestsAndSniffedTypes() {
        // Digests and sizes of the base64-decoded parts computed with Python's email package and hashlib.
        List<Attachment> a = parse("eml/phishing_pot/sample-3641.eml").attachments();

        assertEquals(
                List.of("FotoCivicas.rCNuVDM3in.pdf", "FotoCivicas.dsBsfqpJ3z.zip", "FotoCivicas.QvizC3Gvmj.png"),
                names(a));
        assertEquals(41706, a.get(0).size());
        assertEquals(
                "25e92ada5f7e560dc2c250d68d2f55d4e67d77b52fc3baabde803933bcf01078",
                a.get(0).sha256());
        assertEquals("application/pdf", a.get(0).detectedType());
        assertEquals(
                "399a80f7122764dba934c348bb10e2cf867eae8c37be64cf32544c6708aa027a",
                a.get(1).sha256());
        assertEquals("application/zip", a.get(1).detectedType());
        assertEquals(
                "22bc1f9d8c46a71fc89052315e5f6acc45b23866bf8d26e687134558dde4adc7",
                a.get(2).sha256());
        assertEquals(62193, a.get(2).size());
        assertEquals("image/png", a.get(2).detectedType());
    }

    @Test
    void textPdfAndCsvAttachments() {
        // eml_parser sample; digests from Python's email package and hashlib.
        List<Attachment> a = parse("eml/eml_parser/sample_attachments.eml").attachments();

        assertEquals(List.of("text.txt", "document.pdf", "test.csv"), names(a));
        assertEquals(
                "2d8c2f6d978ca21712b5f6de36c9d31fa8e96a4fa5d8ff8b0188dfb9e7c171bb",
                a.get(0).sha256());
        assertEquals(
                "ea3ca5bf97228f94f175d8ff68d656fba63f30e17390e302a88419618ce88b2a",
                a.get(1).sha256());
        assertEquals(7392, a.get(1).size());
        assertEquals(
                "c752334ab0d9bd33c9a4f22b9d7ab892bf3fddc768a22ee390e67f6f8b7f7ec1",
                a.get(2).sha256());
    }

    @Test
    void htmlFileAttachmentIsSniffedAsHtml() {
        // Raw: attachment "GET Bitcoin 34.html", 275 bytes starting "<html>"; digest from Python.
        Attachment a = parse("eml/phishing_pot/sample-896.eml").attachments().get(0);

        assertEquals("GET Bitcoin 34.html", a.fileName());
        assertEquals(275, a.size());
        assertEquals("9e5f3bc856e28acda0f02a8441748d80a5510d6ee18a4dc0884b971faaaa2afd", a.sha256());
        assertEquals("text/html", a.detectedType());
    }

    @Test
    void namedTextPartIsAnAttachment() {
        // mail-parser's own test: mail_test_3 has exactly one attachment (message.txt, quoted-printable). Digest:
        // Python's decoded bytes with line breaks in the canonical CRLF form (quoted-printable hard line breaks are
        // CRLF by RFC 2045; Python keeps the file's LF), then sha256.
        ParsedMessage m = parse("eml/mail-parser/mail_test_3");

        assertEquals(List.of("message.txt"), names(m.attachments()));
        assertEquals(
                "feb17e2ebb01d2c9582fd1638adc0b193990c03d087a70cbfd3fa5ed3207ab7a",
                m.attachments().get(0).sha256());
    }

    // ---- Nested messages

    @Test
    void base64EncodedRfc822InsideBase64EncodedRfc822IsParsedTwoLevelsDeep() {
        // Raw: the outer body is base64; decoded by hand it is a message with Subject "a simple rfc822 message
        // encoded in a base64 body." whose own body is base64 again, decoding to a text/plain part "Text body".
        ParsedMessage m = parse("eml/mime4j/base64encoded-rfc822message-nested.eml");

        ParsedMessage inner = m.nestedMessages().get(0);
        assertEquals("a simple rfc822 message encoded in a base64 body.", inner.subject());
        ParsedMessage innermost = inner.nestedMessages().get(0);
        assertEquals("Text body", innermost.bodyText().strip());
    }

    @Test
    void spamReportCarriesTheOriginalAsRfc822() {
        // Raw: SpamAssassin wrapper; part "message/rfc822; x-spam-type=original" with From "Jonathan  Okons"
        // <test@jzbgno.hospedagemweb.net> and Subject "PLEASE GET BACK TO US".
        ParsedMessage inner =
                parse("eml/phishing_pot/sample-2590.eml").nestedMessages().get(0);

        assertEquals("PLEASE GET BACK TO US", inner.subject());
        assertEquals(
                "test@jzbgno.hospedagemweb.net",
                inner.fromAddress().orElseThrow().address());
        assertEquals("Jonathan Okons", inner.from().get(0).displayName());
    }

    @Test
    void simpleEmbeddedMessage() {
        // MimeKit test data: outer subject "test of simple embedded message/rfc822 part", inner "embedded message".
        ParsedMessage m = parse("eml/mimekit/simple-embedded-message.eml");

        assertEquals("test of simple embedded message/rfc822 part", m.subject());
        assertEquals("embedded message", m.nestedMessages().get(0).subject());
        assertEquals(
                "mimekit@example.com", m.nestedMessages().get(0).from().get(0).address());
    }

    @Test
    void abuseFeedbackReportWithByteOrderMarkAndNestedSpam() {
        // MimeKit test data (starts with a UTF-8 BOM): Subject "FW: Earn money"; the reported message inside has
        // From <somespammer@example.net>, Subject "Earn money", Date Thu, 2 Sep 2004 12:31:03 -0500.
        ParsedMessage m = parse("eml/mimekit/feedback-report.eml");

        assertEquals("FW: Earn money", m.subject());
        ParsedMessage spam = m.nestedMessages().get(0);
        assertEquals("Earn money", spam.subject());
        assertEquals("somespammer@example.net", spam.from().get(0).address());
        assertEquals(Instant.parse("2004-09-02T17:31:03Z"), spam.date());
    }

    @Test
    void forwardedMessageAsRfc822Part() {
        // Perl MIME-tools test data: outer Subject "[Fwd: Re: 34Mbit/s Netz]"; the forwarded part's From is
        // "deuschle@mnh.telekom.de (Guenter Deuschle)" and Subject "Re: 34Mbit/s Netz".
        ParsedMessage m = parse("eml/mime4j/mimetools-mp-msg-rfc822.eml");

        assertEquals("[Fwd: Re: 34Mbit/s Netz]", m.subject());
        ParsedMessage fwd = m.nestedMessages().get(0);
        assertEquals("Re: 34Mbit/s Netz", fwd.subject());
        assertEquals("deuschle@mnh.telekom.de", fwd.from().get(0).address());
        assertEquals("Guenter Deuschle", fwd.from().get(0).displayName());
    }

    // ---- Received and authentication results

    @Test
    void receivedHopsAreSplitIntoClauses() {
        // Raw: "from unknown (HELO sgis.com.cn) (218.15.33.11) by smtp.didi.net with SMTP; 8 Mar 2017 05:57:05 -0000"
        // is the second Received field; the first has only a comment and a date.
        List<ReceivedHop> hops = parse("eml/mail-parser/mail_test_9").received();

        assertEquals(5, hops.size());
        ReceivedHop hop = hops.get(1);
        assertEquals("218.15.33.11", hop.fromIp());
        assertEquals("smtp.didi.net", hop.by());
        assertEquals("SMTP", hop.with());
        assertEquals(Instant.parse("2017-03-08T05:57:05Z"), hop.date());
        assertEquals("webmaster@khaleejtimes.com", hops.get(4).forAddress());
    }

    @Test
    void microsoftAuthenticationResultsWithoutAuthservId() {
        // Raw: Authentication-Results: spf=fail (sender IP is 203.145.49.146) smtp.mailfrom=hotmail.com; dkim=none
        // (message not signed) header.d=none;dmarc=fail action=none header.from=hotmail.com;compauth=fail reason=001
        AuthenticationResults ar = parse("eml/phishing_pot/sample-4411.eml").authenticationResults().stream()
                .filter(a -> a.headerName().equals("Authentication-Results"))
                .findFirst()
                .orElseThrow();

        AuthResult spf = method(ar, "spf");
        assertEquals("fail", spf.result());
        assertEquals("hotmail.com", spf.property("smtp.mailfrom"));
        AuthResult dmarc = method(ar, "dmarc");
        assertEquals("fail", dmarc.result());
        assertEquals("hotmail.com", dmarc.property("header.from"));
        assertEquals("none", dmarc.property("action"));
        assertEquals("none", method(ar, "dkim").result());
        assertEquals("001", method(ar, "compauth").reason());
        assertEquals("", ar.authservId());
    }

    @Test
    void arcAuthenticationResultsCarryTheirInstance() {
        // Raw: ARC-Authentication-Results: i=2; mx.microsoft.com 1; spf=pass ... dmarc=bestguesspass ...; and i=1 with
        // dkim=pass header.d=w.a.s.a.d.f.i.o.23.setef.sa.com; arc=none.
        ParsedMessage m = parse("eml/phishing_pot/sample-3535.eml");

        List<AuthenticationResults> arc = m.authenticationResults().stream()
                .filter(a -> a.headerName().equalsIgnoreCase("ARC-Authentication-Results"))
                .toList();
        assertEquals(
                List.of(2, 1), arc.stream().map(AuthenticationResults::instance).toList());
        assertEquals("mx.microsoft.com", arc.get(0).authservId());
        AuthResult dkim = arc.get(1).results().stream()
                .filter(r -> r.method().equals("dkim"))
                .findFirst()
                .orElseThrow();
        assertEquals("pass", dkim.result());
        assertEquals("w.a.s.a.d.f.i.o.23.setef.sa.com", dkim.property("header.d"));
        assertTrue(arc.get(1).results().stream()
                .anyMatch(r -> r.method().equals("arc") && r.result().equals("none")));
    }

    @Test
    void gmailAuthenticationResults() {
        // MimeKit's DKIM test message: Authentication-Results: mx.google.com; spf=pass (...) smtp.mail=...;
        // dkim=pass header.i=@gmail.com; dmarc=pass (p=NONE dis=NONE) header.from=gmail.com
        ParsedMessage m = parse("eml/mimekit/dkim-gmail.eml");

        AuthenticationResults ar = m.authenticationResults().stream()
                .filter(a -> a.headerName().equals("Authentication-Results"))
                .findFirst()
                .orElseThrow();
        assertEquals("mx.google.com", ar.authservId());
        assertEquals(
                List.of("spf=pass", "dkim=pass", "dmarc=pass"),
                ar.results().stream().map(r -> r.method() + "=" + r.result()).collect(Collectors.toList()));
        assertEquals("@gmail.com", m.authResults("dkim").get(0).property("header.i"));
        assertEquals("gmail.com", m.authResults("dmarc").get(0).property("header.from"));
    }

    // ---- URLs in text without a scheme

    @Test
    void schemeLessUrlsInPlainText() {
        // Raw body: "www.example.com consectetur", "\"www.example.com/test1?bla\"", "www.example.com/a/b/c/d/ et".
        ParsedMessage m = parse("eml/eml_parser/sample_body_noscheme_url.eml");

        List<String> urls = m.urls().stream().map(ExtractedUrl::url).toList();
        assertTrue(urls.contains("http://www.example.com"), urls::toString);
        assertTrue(urls.contains("http://www.example.com/test1?bla"), urls::toString);
        assertTrue(urls.contains("http://www.example.com/a/b/c/d/"), urls::toString);
        assertTrue(m.urls().stream().filter(u -> u.raw().startsWith("www.")).allMatch(ExtractedUrl::schemeAdded));
    }

    // ---- Outlook .msg

    @Test
    void outlookMessageAsMailParserSeesIt() {
        // mail-parser's own test of this file: 5 attachments, from NueblingV@w-vwa.de.
        ParsedMessage m = parse("msg/mail-parser_mail_outlook_1.msg");

        assertEquals(MessageFormat.OUTLOOK_MSG, m.format());
        assertEquals(5, m.attachments().size());
        assertEquals("NueblingV@w-vwa.de", m.fromAddress().orElseThrow().address());
    }

    @Test
    void outlookMessageWithTransportHeaders() {
        // Read by hand from the UTF-16 strings of the file: Subject "Test for TIF files", Received-SPF: pass,
        // Authentication-results: st11p00mm-smtpin007.mac.com; dkim=pass, attachments "import OleFileIO.tif" and
        // "raised value error.tif" (long names; short ones importOl.tif, raisedva.tif).
        ParsedMessage m = parse("msg/unicode.msg");

        assertEquals("Test for TIF files", m.subject());
        assertEquals("brizhou@gmail.com", m.fromAddress().orElseThrow().address());
        assertEquals("pass", m.authResults("dkim").get(0).result());
        assertEquals("pass", m.authResults("spf").get(0).result());
        assertFalse(m.received().isEmpty());
        assertEquals(
                List.of("import OleFileIO.tif", "raised value error.tif"),
                names(m.attachments()).stream().sorted().toList());
        assertTrue(m.attachments().stream().allMatch(a -> a.detectedType().equals("image/tiff")));
    }

    // ---- TNEF (expected attachment names and body kinds: tnefparse's tests/test_decoding.py)

    @Test
    void tnefAttachmentNamesAsTnefparseExpects() {
        assertEquals(
                List.of("AUTHORS", "README"), names(parse("tnef/two-files.tnef").attachments()));
        assertEquals(
                List.of("AUTOEXEC.BAT", "CONFIG.SYS", "boot.ini"),
                names(parse("tnef/data-before-name.tnef").attachments()));
        assertEquals(
                List.of("allproductsmar2000.dat"),
                names(parse("tnef/long-filename.tnef").attachments()));
        assertEquals(
                List.of("generpts.src", "TechlibDEC99.doc", "TechlibDEC99-JAN00.doc", "TechlibNOV99.doc"),
                names(parse("tnef/missing-filenames.tnef").attachments()));
        assertEquals(
                List.of("TBZ PARIV GmbH.jpg", "image003.jpg", "UmlautAnhang-äüö.txt"),
                names(parse("tnef/umlaut.tnef").attachments()));
        assertEquals(
                List.of("spaconsole2.cfg", "image001.png", "image002.png", "image003.png"),
                names(parse("tnef/unicode-mapi-attr-name.tnef").attachments()));
        assertEquals(List.of(), names(parse("tnef/body.tnef").attachments()));
        assertEquals(List.of(), names(parse("tnef/garbage-at-end.tnef").attachments()));
        assertEquals(List.of(), names(parse("tnef/multi-name-property.tnef").attachments()));
    }

    @Test
    void tnefBodiesOfTheKindTnefparseExpects() {
        assertEquals(List.of("text/html"), bodyTypes("tnef/body.tnef"));
        assertEquals(List.of("text/html"), bodyTypes("tnef/unicode-mapi-attr-name.tnef"));
        assertEquals(List.of("text/rtf"), bodyTypes("tnef/rtf.tnef"));
        assertEquals(List.of("text/rtf"), bodyTypes("tnef/data-before-name.tnef"));
        assertEquals(List.of(), bodyTypes("tnef/two-files.tnef"));
        assertEquals(List.of(), bodyTypes("tnef/garbage-at-end.tnef"));
    }

    @Test
    void tnefListsOfMimeKit() {
        // MimeKit's expected extraction lists beside the samples; MimeKit writes the body out as body.rtf/body.html,
        // so those entries are the body, the rest attachments.
        assertEquals(
                List.of("AUTOEXEC.BAT", "CONFIG.SYS", "boot.ini"),
                names(parse("tnef/data-before-name.tnef").attachments()));
        assertTrue(bodyTypes("tnef/data-before-name.tnef").contains("text/rtf"));
        assertTrue(bodyTypes("tnef/body.tnef").contains("text/html"));
        assertTrue(bodyTypes("tnef/long-filename.tnef").contains("text/rtf"));
        assertTrue(bodyTypes("tnef/missing-filenames.tnef").contains("text/rtf"));
    }

    private static AuthResult method(AuthenticationResults ar, String method) {
        return ar.results().stream()
                .filter(r -> r.method().equals(method))
                .findFirst()
                .orElseThrow();
    }

    private List<String> bodyTypes(String relative) {
        return parse(relative).textParts().stream().map(TextPart::contentType).toList();
    }
}
