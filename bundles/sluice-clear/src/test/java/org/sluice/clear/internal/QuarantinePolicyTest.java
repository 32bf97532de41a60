package org.sluice.clear.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sluice.api.clear.Disposition;
import org.sluice.api.quarantine.QuarantineService.Counts;
import org.sluice.clear.internal.QuarantinePolicy.Decision;
import org.sluice.mail.MailParser;
import org.sluice.mail.ParsedMessage;

/** The per-disposition quarantine policy: who triggers it, once per incident, and the cap. */
class QuarantinePolicyTest {

    private static final Set<Disposition> MALICIOUS_ONLY = EnumSet.of(Disposition.MALICIOUS);
    private static final Counts NOTHING = new Counts(0, 0, 0, 0);

    @Test
    void queuesForAnEnabledDispositionFromAnAuthenticatedReporterWithinTheCap() {
        assertEquals(
                Decision.QUEUE, QuarantinePolicy.decide(Disposition.MALICIOUS, true, MALICIOUS_ONLY, 3, 3, NOTHING));
    }

    @Test
    void waitsForAnAnalystAboveTheCap() {
        assertEquals(
                Decision.WAIT_FOR_ANALYST,
                QuarantinePolicy.decide(Disposition.MALICIOUS, true, MALICIOUS_ONLY, 4, 3, NOTHING));
    }

    @Test
    void doesNothingForUnauthenticatedReportersOrOtherDispositions() {
        assertEquals(
                Decision.NONE, QuarantinePolicy.decide(Disposition.MALICIOUS, false, MALICIOUS_ONLY, 1, 3, NOTHING));
        assertEquals(
                Decision.NONE, QuarantinePolicy.decide(Disposition.SUSPICIOUS, true, MALICIOUS_ONLY, 1, 3, NOTHING));
        assertEquals(
                Decision.NONE,
                QuarantinePolicy.decide(Disposition.MALICIOUS, true, EnumSet.noneOf(Disposition.class), 1, 3, NOTHING));
    }

    @Test
    void anIncidentIsQueuedOnlyOnce() {
        for (Counts before : List.of(
                new Counts(1, 0, 0, 0), new Counts(0, 1, 0, 0), new Counts(0, 0, 1, 0), new Counts(0, 0, 0, 1))) {
            assertEquals(
                    Decision.ALREADY_REQUESTED,
                    QuarantinePolicy.decide(Disposition.MALICIOUS, true, MALICIOUS_ONLY, 1, 3, before));
        }
    }

    @Test
    void countsDistinctInternalRecipientsAndTheReporter() {
        ParsedMessage m = new MailParser()
                .parse(("From: x@evil.test\r\nTo: Alice <alice@example.org>, bob@sub.example.org, out@other.test\r\n"
                                + "Cc: ALICE@example.org, carol@example.org\r\nSubject: s\r\n\r\nb\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(3, QuarantinePolicy.internalCopies(m, List.of("example.org"), "alice@example.org"));
        assertEquals(4, QuarantinePolicy.internalCopies(m, List.of("example.org"), "dave@example.org"));
        assertEquals(1, QuarantinePolicy.internalCopies(m, List.of("nowhere.test"), "dave@example.org"));
    }
}
