package org.sluice.api.clear;

import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.security.Actor;

/**
 * Takes in user reports: e-mails someone forwarded to the abuse mailbox. Implemented by the CLEAR bundle; used by the
 * upload endpoint of the own API and by mailbox-polling sources.
 *
 * <p>Every report ends somewhere: as an alert of source {@code clear} on the incident of the reported message, or,
 * when no reported message can be found or analysis fails, as an alert recording that failure. The raw bytes are
 * always kept in the raw-mail store first, so nothing is lost whatever the content.
 */
@ProviderType
public interface ReportIntake {

    /**
     * Stores, unwraps, classifies and files one report.
     *
     * @param raw the report as received: a MIME message ({@code .eml}) or an Outlook {@code .msg} file
     * @param origin where it came from, for the alert ({@code upload}, a mailbox name); may be {@code null}
     * @param actor who hands it in
     * @throws java.io.IOException only when the raw-mail store cannot keep the bytes
     */
    ReportOutcome submit(byte[] raw, String origin, Actor actor) throws java.io.IOException;
}
