package org.sluice.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.sluice.fakes.graph.FakeGraphLimits;
import org.sluice.fakes.graph.FakeGraphServer;

/**
 * The fake Graph service of {@link GraphConnectorIT}, started in the test driver's JVM (where Pax Exam computes the
 * container's options) and reached by the container on loopback. Kept apart from the test class so that the class,
 * which also runs inside the container, never links the fake.
 */
final class FakeGraphForContainer {

    static final String TENANT = "itest-tenant";
    static final String CLIENT = "itest-client";
    static final String SECRET = "itest-secret-0123456789";
    static final String MAILBOX = "carol@contoso.test";
    static final String MESSAGE_ID = "itest-1'or'a'eq'a@evil.test";
    static final byte[] MIME = ("From: Mallory <mallory@evil.test>\r\nTo: carol@contoso.test\r\nSubject: Invoice\r\n"
                    + "Message-ID: <" + MESSAGE_ID + ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n"
                    + "Pay now.\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    /** Held for the driver JVM's life: the container calls it until the test class ends. */
    private static FakeGraphServer fake;

    private FakeGraphForContainer() {}

    /** Starts the fake once with one mailbox holding the message and a decoy; returns {base URL, token endpoint}. */
    static synchronized String[] start() {
        if (fake == null) {
            try {
                fake = FakeGraphServer.start(FakeGraphLimits.exchangeOnline());
            } catch (IOException e) {
                throw new IllegalStateException("the fake Graph service did not start", e);
            }
            fake.registerApp(CLIENT, SECRET);
            fake.deliver(MAILBOX, "inbox", MIME, Instant.parse("2026-12-04T09:00:00Z"));
            fake.deliver(
                    MAILBOX,
                    "inbox",
                    new String(MIME, StandardCharsets.US_ASCII)
                            .replace(MESSAGE_ID, "decoy@evil.test")
                            .getBytes(StandardCharsets.US_ASCII),
                    Instant.parse("2026-12-04T09:00:00Z"));
        }
        return new String[] {fake.baseUrl(), fake.tokenEndpoint(TENANT)};
    }
}
