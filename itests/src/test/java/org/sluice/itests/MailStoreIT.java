package org.sluice.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.sql.DataSource;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.mail.MessageRegistry;
import org.sluice.api.mail.MessageRegistry.CopyRecord;
import org.sluice.api.mail.MessageRegistry.CopyState;
import org.sluice.api.mail.MessageRegistry.FoundBy;
import org.sluice.api.mail.MessageRegistry.MailboxRecord;
import org.sluice.api.mail.MessageRegistry.MessageRecord;
import org.sluice.api.mail.MessageRegistry.NewMessage;
import org.sluice.api.mail.RawMailStore;
import org.sluice.api.mail.RawMailStore.StoredMail;

/** Raw mail stored once per SHA-256 and streamed; messages, mailboxes and copies with race-free identities. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MailStoreIT extends SluiceTestSupport {

    @Inject
    private RawMailStore store;

    @Inject
    private MessageRegistry messages;

    @Inject
    @Filter(value = "(osgi.jndi.service.name=sluice)", timeout = 120_000)
    private DataSource dataSource;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void realReportedMessagesAreStoredByteForByteUnderTheirSha256() throws Exception {
        Path corpus = Path.of(System.getProperty("sluice.itest.corpus", "../../shared/corpus"), "eml", "phishing_pot");
        if (!Files.isDirectory(corpus)) {
            System.err.println("SKIPPED LOUDLY: the shared corpus is not at " + corpus.toAbsolutePath());
        }
        assumeTrue("the shared corpus is needed", Files.isDirectory(corpus));
        List<Path> samples;
        try (Stream<Path> files = Files.list(corpus)) {
            samples = files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
        }

        for (Path sample : samples) {
            byte[] bytes = Files.readAllBytes(sample);

            StoredMail stored;
            try (InputStream in = Files.newInputStream(sample)) {
                stored = store.store(in);
            }

            assertEquals(sample.toString(), sha256(bytes), stored.sha256());
            assertEquals(bytes.length, stored.size());
            try (InputStream back = store.open(stored.sha256())) {
                assertArrayEquals(sample.toString(), bytes, back.readAllBytes());
            }
        }
    }

    @Test
    public void largeMessageStreamsThroughInChunksAndIsStoredOnceEvenWhenRacing() throws Exception {
        long size = 24L * 1024 * 1024 + 17;
        long seed = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<StoredMail>> racers = List.of(
                    () -> store.store(random(seed, size)),
                    () -> store.store(random(seed, size)),
                    () -> store.store(random(seed, size)),
                    () -> store.store(random(seed, size)));
            Set<String> hashes = new HashSet<>();
            for (Future<StoredMail> result : pool.invokeAll(racers)) {
                hashes.add(result.get().sha256());
            }

            assertEquals(1, hashes.size());
            String hash = hashes.iterator().next();
            assertEquals(1, count("SELECT COUNT(*) FROM raw_mail WHERE sha256 = ?", hash));
            assertEquals(97, count("SELECT COUNT(*) FROM raw_mail_chunk WHERE sha256 = ?", hash));
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(store.open(hash), digest)) {
                assertEquals(size, in.transferTo(java.io.OutputStream.nullOutputStream()));
            }
            assertEquals(hash, HexFormat.of().formatHex(digest.digest()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void emptyMessageAndUnknownHash() throws Exception {
        StoredMail empty = store.store(new ByteArrayInputStream(new byte[0]));

        assertEquals(0, empty.size());
        try (InputStream in = store.open(empty.sha256())) {
            assertEquals(-1, in.read());
        }
        assertThrows(NotFoundException.class, () -> store.open("0".repeat(64)));
    }

    @Test
    public void oneMessageHowEverItsIdIsWrittenAndFingerprintWhenItHasNone() {
        String unique = "Id" + Long.toHexString(System.nanoTime());

        MessageRecord first = messages.register(
                new NewMessage("<" + unique + "@Mail.Example.ORG>", null, "a@example.org", "hello", null, null));
        MessageRecord again = messages.register(new NewMessage(
                "  " + unique + "@mail.example.org (resent)", "fp", "a@example.org", "hello", null, null));
        MessageRecord otherCase = messages.register(
                new NewMessage("<" + unique.toUpperCase() + "@mail.example.org>", null, null, null, null, null));
        MessageRecord byFingerprint =
                messages.register(new NewMessage("no id here", "fp-" + unique, null, null, null, null));

        assertEquals(first.id(), again.id());
        assertEquals(unique + "@mail.example.org", first.messageId());
        assertNotEquals(first.id(), otherCase.id());
        assertEquals(null, byFingerprint.messageId());
        assertEquals(
                byFingerprint.id(),
                messages.register(new NewMessage(null, "fp-" + unique, null, null, null, null))
                        .id());
        assertThrows(
                ValidationException.class,
                () -> messages.register(new NewMessage("<broken>", null, null, null, null, null)));
    }

    @Test
    public void copiesKeepTheirOwnStateAndMailboxesTheirAddress() {
        String unique = Long.toHexString(System.nanoTime());
        MessageRecord message =
                messages.register(new NewMessage("<" + unique + "@example.org>", null, null, null, null, null));
        MailboxRecord mailbox = messages.mailbox("Bob." + unique + "@Example.org", null, FoundBy.ORIGINAL_RECIPIENT);

        CopyRecord inbox =
                messages.copy(message.id(), mailbox.id(), "imap", "INBOX", "101", FoundBy.ORIGINAL_RECIPIENT);
        CopyRecord archive = messages.copy(message.id(), mailbox.id(), "imap", "Archive", "7", FoundBy.SEARCH);
        CopyRecord inboxAgain = messages.copy(message.id(), mailbox.id(), "imap", "INBOX", "101", FoundBy.SEARCH);
        messages.updateCopy(inbox.id(), CopyState.QUARANTINED, null, null);

        assertEquals("bob." + unique + "@example.org", mailbox.address());
        assertEquals(
                mailbox.id(),
                messages.mailbox("BOB." + unique + "@example.org", null, FoundBy.SEARCH)
                        .id());
        assertEquals(inbox.id(), inboxAgain.id());
        List<CopyRecord> copies = messages.copies(message.id());
        assertEquals(2, copies.size());
        assertEquals(CopyState.QUARANTINED, copies.get(0).state());
        assertEquals(CopyState.DELIVERED, copies.get(1).state());
        assertEquals("Archive", archive.folder());
    }

    private long count(String sql, String hash) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, hash);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** A stream of {@code size} pseudo-random bytes, the same for the same seed, produced as it is read. */
    private static InputStream random(long seed, long size) {
        return new InputStream() {
            private final Random random = new Random(seed);
            private long left = size;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return random.nextInt(256);
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int count = (int) Math.min(length, left);
                for (int i = 0; i < count; i++) {
                    target[offset + i] = (byte) random.nextInt(256);
                }
                left -= count;
                return count;
            }
        };
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
