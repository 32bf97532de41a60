package org.sluice.clear.internal;

import org.sluice.mail.ParsedMessage;

/**
 * A report taken apart: the report itself and, when one was found, the message it reports.
 *
 * @param report the parsed report
 * @param reported the parsed reported message, or {@code null} when none was found
 * @param reportedRaw the raw bytes that stand for the reported message (its own bytes when attached; the report's for
 *     an inline forward or when the report is an Outlook container), or {@code null} when none was found
 * @param foundAs how it was found: {@code attached-message}, {@code attached-file}, {@code inline-forward},
 *     {@code report-itself} or {@code none}
 * @param identity what identifies the reported message: its Message-ID when it has one, otherwise the forwarded
 *     sender, subject and date; {@code null} when none was found
 */
record Unwrapped(ParsedMessage report, ParsedMessage reported, byte[] reportedRaw, String foundAs, String identity) {

    static final String ATTACHED_MESSAGE = "attached-message";
    static final String ATTACHED_FILE = "attached-file";
    static final String INLINE_FORWARD = "inline-forward";
    static final String REPORT_ITSELF = "report-itself";
    static final String NONE = "none";

    boolean found() {
        return reported != null;
    }
}
