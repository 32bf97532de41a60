package org.sluice.mail.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.apache.poi.hmef.Attachment;
import org.apache.poi.hmef.HMEFMessage;
import org.apache.poi.hmef.attribute.MAPIAttribute;
import org.apache.poi.hmef.attribute.MAPIStringAttribute;
import org.apache.poi.hsmf.datatypes.MAPIProperty;
import org.sluice.mail.FindingKind;
import org.sluice.mail.MessageFormat;
import org.sluice.mail.ParsedMessage;

/**
 * Reads TNEF streams ({@code winmail.dat}) with Apache POI HMEF: subject, the bodies (plain text, HTML, and RTF
 * rendered as text) and the attached files, each analysed like a MIME attachment (so an attached message is read
 * recursively). TNEF carries no transport headers; sender and recipients of the wrapping MIME message are the ones to
 * use.
 */
final class TnefReader {

    private final Analyzer analyzer;
    private final Analysis analysis;

    TnefReader(Analyzer analyzer) {
        this.analyzer = analyzer;
        this.analysis = analyzer.analysis();
    }

    ParsedMessage read(byte[] bytes, int depth) {
        MessageBuilder b = new MessageBuilder(MessageFormat.TNEF, bytes, analysis);
        HMEFMessage tnef;
        try {
            tnef = new HMEFMessage(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            b.finding(
                    FindingKind.PARSE_ERROR,
                    "",
                    "not a readable TNEF stream: " + e.getClass().getSimpleName());
            return b.build();
        }
        try {
            String subject = tnef.getSubject();
            b.subject = subject == null ? "" : HeaderText.clean(subject).strip();
        } catch (RuntimeException e) {
            b.finding(
                    FindingKind.MALFORMED_HEADER,
                    "subject",
                    "could not be read: " + e.getClass().getSimpleName());
        }
        addBody(b, "text", "text/plain", () -> text(property(tnef, MAPIProperty.BODY.id)));
        addBody(b, "html", "text/html", () -> text(property(tnef, MAPIProperty.BODY_HTML.id)));
        addBody(b, "rtf", "text/rtf", tnef::getBody);
        List<Attachment> attachments = tnef.getAttachments();
        for (int i = 0; i < attachments.size(); i++) {
            String path = "attachment " + (i + 1);
            if (!analysis.nextPart()) {
                if (analysis.reportPartLimit()) {
                    b.finding(FindingKind.PART_LIMIT, path, "more than " + analysis.limits.maxParts() + " parts");
                }
                break;
            }
            try {
                Attachment att = attachments.get(i);
                String name = att.getLongFilename();
                if (name == null || name.isBlank()) {
                    name = att.getFilename();
                }
                byte[] content = att.getContents();
                analyzer.addAttachment(
                        b,
                        depth,
                        path,
                        name == null ? "" : HeaderText.clean(name).strip(),
                        "application/octet-stream",
                        "attachment",
                        "",
                        content == null ? new byte[0] : content);
            } catch (RuntimeException e) {
                b.finding(
                        FindingKind.MALFORMED_MIME,
                        path,
                        "attachment could not be read: " + e.getClass().getSimpleName());
            }
        }
        return b.build();
    }

    private void addBody(MessageBuilder b, String path, String type, Supplier<String> body) {
        try {
            String text = body.get();
            if (text != null && !text.isBlank()) {
                analyzer.addText(b, path, type, text, "");
            }
        } catch (RuntimeException e) {
            b.finding(
                    FindingKind.MALFORMED_MIME,
                    path,
                    type + " body could not be read: " + e.getClass().getSimpleName());
        }
    }

    /** A message property by id (POI's own lookup compares property objects, which differ for binary bodies). */
    private static MAPIAttribute property(HMEFMessage tnef, int id) {
        for (MAPIAttribute attribute : tnef.getMessageMAPIAttributes()) {
            if (attribute.getProperty().id == id) {
                return attribute;
            }
        }
        return null;
    }

    /** A MAPI string or binary property as text (binary HTML bodies: UTF-8 when valid, else the fallback charset). */
    private static String text(MAPIAttribute attribute) {
        if (attribute == null) {
            return null;
        }
        String s = MAPIStringAttribute.getAsString(attribute);
        return s != null ? s : Charsets.guess(attribute.getData()).text();
    }
}
