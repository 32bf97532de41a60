package org.sluice.core.internal.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.mail.RawMailStore;
import org.sluice.core.internal.Hashes;
import org.sluice.core.internal.db.Database;

/**
 * Raw mail in {@code raw_mail} and {@code raw_mail_chunk}: the bytes cut into chunks of {@link #CHUNK_BYTES}, so that
 * neither storing nor reading holds more than one chunk in memory on any database (PostgreSQL's driver reads a
 * {@code bytea} value whole, which is why one value per message would not do).
 *
 * <p>Storing spools the stream to an owner-only temporary file while hashing it, because the key (the SHA-256) is
 * known only at the end; then it inserts header and chunks in one transaction. A concurrent store of the same bytes
 * loses on the primary key and returns the winner's record.
 */
@Component(service = RawMailStore.class)
public class JdbcRawMailStore implements RawMailStore {

    static final int CHUNK_BYTES = 256 * 1024;

    private final DataSource dataSource;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public JdbcRawMailStore(@Reference Database database) {
        this.dataSource = database.dataSource();
    }

    @Override
    public StoredMail store(InputStream raw) throws IOException {
        Path spool = Files.createTempFile(
                "sluice-raw-",
                ".eml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            MessageDigest digest = Hashes.sha256();
            long size;
            try (DigestInputStream in = new DigestInputStream(raw, digest);
                    OutputStream out = Files.newOutputStream(spool)) {
                size = in.transferTo(out);
            }
            String hash = HexFormat.of().formatHex(digest.digest());
            Optional<StoredMail> existing = find(hash);
            if (existing.isPresent()) {
                return existing.get();
            }
            try {
                return insert(hash, size, spool);
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return find(hash).orElseThrow(() -> new IOException("raw mail " + hash + " vanished", e));
                }
                throw new IOException("raw mail could not be stored: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private StoredMail insert(String hash, long size, Path spool) throws SQLException, IOException {
        Instant now = clock.instant();
        int chunks = (int) ((size + CHUNK_BYTES - 1) / CHUNK_BYTES);
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement header = connection.prepareStatement(
                            "INSERT INTO raw_mail (sha256, size_bytes, chunk_count, created_at) VALUES (?, ?, ?, ?)");
                    PreparedStatement chunk = connection.prepareStatement(
                            "INSERT INTO raw_mail_chunk (sha256, seq, data) VALUES (?, ?, ?)");
                    InputStream in = Files.newInputStream(spool)) {
                header.setString(1, hash);
                header.setLong(2, size);
                header.setInt(3, chunks);
                header.setLong(4, now.toEpochMilli());
                header.executeUpdate();
                for (int seq = 0; seq < chunks; seq++) {
                    chunk.setString(1, hash);
                    chunk.setInt(2, seq);
                    chunk.setBytes(3, in.readNBytes(CHUNK_BYTES));
                    chunk.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
        return new StoredMail(hash, size, now);
    }

    @Override
    public Optional<StoredMail> find(String sha256) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT size_bytes, created_at FROM raw_mail WHERE sha256 = ?")) {
            select.setString(1, sha256);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new StoredMail(sha256, row.getLong(1), Instant.ofEpochMilli(row.getLong(2))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("raw mail could not be looked up: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        int chunks;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT chunk_count FROM raw_mail WHERE sha256 = ?")) {
            select.setString(1, sha256);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new NotFoundException("raw mail", sha256);
                }
                chunks = row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IOException("raw mail could not be opened: " + e.getMessage(), e);
        }
        return new ChunkStream(sha256, chunks);
    }

    /** Reads one chunk at a time, each with its own short use of a pooled connection. */
    private final class ChunkStream extends InputStream {
        private final String sha256;
        private final int chunks;
        private int next;
        private byte[] buffer = new byte[0];
        private int position;

        ChunkStream(String sha256, int chunks) {
            this.sha256 = sha256;
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position >= buffer.length) {
                if (next >= chunks) {
                    return -1;
                }
                buffer = chunk(next++);
                position = 0;
            }
            int count = Math.min(length, buffer.length - position);
            System.arraycopy(buffer, position, target, offset, count);
            position += count;
            return count;
        }

        private byte[] chunk(int seq) throws IOException {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement(
                            "SELECT data FROM raw_mail_chunk WHERE sha256 = ? AND seq = ?")) {
                select.setString(1, sha256);
                select.setInt(2, seq);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new IOException("raw mail " + sha256 + " is missing chunk " + seq);
                    }
                    return row.getBytes(1);
                }
            } catch (SQLException e) {
                throw new IOException("raw mail could not be read: " + e.getMessage(), e);
            }
        }
    }
}
