package org.sluice.core.internal.mail;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.mail.MessageIds;
import org.sluice.api.mail.MessageRegistry;
import org.sluice.core.internal.Hashes;
import org.sluice.core.internal.db.Database;

/**
 * Messages, mailboxes and copies on JPA. Registration is race-free through unique constraints on the message
 * identity and the mailbox address: the loser of a race reads the winner's row. Copies of one message in one mailbox
 * are told apart by their provider id; a copy registered twice at the same moment by two nodes may be stored twice,
 * which responses tolerate because they check the mailbox before they act.
 */
@Component(service = MessageRegistry.class)
public class MessageRegistryImpl implements MessageRegistry {

    private static final int MAX_SUBJECT = 2_000;
    private static final int MAX_ADDRESS = 512;

    private final Database database;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public MessageRegistryImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public MessageRecord register(NewMessage message) {
        Optional<String> messageId = MessageIds.normalize(message.rawMessageId());
        String fingerprint = message.fingerprint();
        if (messageId.isEmpty() && (fingerprint == null || fingerprint.isBlank())) {
            throw new ValidationException("message", "has neither a usable Message-ID nor a content fingerprint");
        }
        String identity = messageId.map(id -> "mid:" + id).orElse("fp:" + fingerprint);
        String hash = Hashes.sha256Hex(identity);
        return insertOrFind(
                em -> em.createNamedQuery("Message.byIdentity", MessageEntity.class)
                        .setParameter("hash", hash)
                        .getResultStream()
                        .findFirst(),
                () -> {
                    MessageEntity entity = new MessageEntity();
                    entity.identityKey = identity.length() <= 1_000 ? identity : identity.substring(0, 1_000);
                    entity.identityHash = hash;
                    entity.messageId = messageId.orElse(null);
                    entity.fingerprint = fingerprint;
                    entity.sender = cut(message.sender(), MAX_ADDRESS);
                    entity.subject = cut(message.subject(), MAX_SUBJECT);
                    entity.sentAt = message.sentAt();
                    entity.rawSha256 = message.rawSha256();
                    entity.createdAt = clock.instant();
                    return entity;
                },
                MessageRegistryImpl::toMessage);
    }

    @Override
    public Optional<MessageRecord> message(long id) {
        return database.inTransaction(
                em -> Optional.ofNullable(em.find(MessageEntity.class, id)).map(MessageRegistryImpl::toMessage));
    }

    @Override
    public MailboxRecord mailbox(String address, String primaryAddress, FoundBy foundBy) {
        String normalized = address(address, "address");
        String primary = primaryAddress == null ? normalized : address(primaryAddress, "primary_address");
        return insertOrFind(
                em -> em.createNamedQuery("Mailbox.byAddress", MailboxEntity.class)
                        .setParameter("address", normalized)
                        .getResultStream()
                        .findFirst(),
                () -> {
                    MailboxEntity entity = new MailboxEntity();
                    entity.address = normalized;
                    entity.primaryAddress = primary;
                    entity.foundBy = foundBy;
                    entity.createdAt = clock.instant();
                    return entity;
                },
                e -> new MailboxRecord(e.id, e.address, e.primaryAddress, e.foundBy));
    }

    @Override
    public CopyRecord copy(
            long messageId, long mailboxId, String connector, String folder, String providerId, FoundBy foundBy) {
        return database.inTransaction(em -> {
            if (em.find(MessageEntity.class, messageId) == null) {
                throw new NotFoundException("message", messageId);
            }
            if (em.find(MailboxEntity.class, mailboxId) == null) {
                throw new NotFoundException("mailbox", mailboxId);
            }
            Optional<CopyEntity> known = providerId == null
                    ? Optional.empty()
                    : em.createNamedQuery("Copy.byProviderId", CopyEntity.class)
                            .setParameter("message", messageId)
                            .setParameter("mailbox", mailboxId)
                            .setParameter("providerId", providerId)
                            .getResultStream()
                            .findFirst();
            CopyEntity entity = known.orElseGet(() -> {
                CopyEntity created = new CopyEntity();
                created.messageId = messageId;
                created.mailboxId = mailboxId;
                created.connector = connector;
                created.folder = folder;
                created.providerId = providerId;
                created.state = CopyState.DELIVERED;
                created.foundBy = foundBy;
                created.updatedAt = clock.instant();
                em.persist(created);
                return created;
            });
            em.flush();
            return toCopy(entity);
        });
    }

    @Override
    public CopyRecord updateCopy(long copyId, CopyState state, String folder, String providerId) {
        return database.inTransaction(em -> {
            CopyEntity entity = em.find(CopyEntity.class, copyId);
            if (entity == null) {
                throw new NotFoundException("copy", copyId);
            }
            entity.state = state;
            entity.folder = folder;
            entity.providerId = providerId;
            entity.updatedAt = clock.instant();
            return toCopy(entity);
        });
    }

    @Override
    public List<CopyRecord> copies(long messageId) {
        return database.inTransaction(em -> em
                .createNamedQuery("Copy.byMessage", CopyEntity.class)
                .setParameter("message", messageId)
                .getResultList()
                .stream()
                .map(MessageRegistryImpl::toCopy)
                .toList());
    }

    /** Finds a row, or inserts one; when a concurrent insert wins the unique constraint, finds the winner's row. */
    private <E, R> R insertOrFind(
            Function<EntityManager, Optional<E>> find, Supplier<E> create, Function<E, R> convert) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return database.inTransaction(em -> {
                    E entity = find.apply(em).orElseGet(() -> {
                        E created = create.get();
                        em.persist(created);
                        return created;
                    });
                    em.flush();
                    return convert.apply(entity);
                });
            } catch (PersistenceException e) {
                if (!Database.isConstraintViolation(e)) {
                    throw e;
                }
            }
        }
        return database.inTransaction(em -> find.apply(em)
                .map(convert)
                .orElseThrow(() -> new IllegalStateException("a row that lost a race cannot be found")));
    }

    private static String address(String address, String field) {
        if (address == null
                || address.isBlank()
                || address.length() > MAX_ADDRESS
                || !address.contains("@")
                || address.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new ValidationException(field, "is not an e-mail address");
        }
        return address.strip().toLowerCase(Locale.ROOT);
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static MessageRecord toMessage(MessageEntity e) {
        return new MessageRecord(
                e.id, e.messageId, e.fingerprint, e.sender, e.subject, e.sentAt, e.rawSha256, e.createdAt);
    }

    private static CopyRecord toCopy(CopyEntity e) {
        return new CopyRecord(
                e.id, e.messageId, e.mailboxId, e.connector, e.folder, e.providerId, e.state, e.foundBy, e.updatedAt);
    }
}
