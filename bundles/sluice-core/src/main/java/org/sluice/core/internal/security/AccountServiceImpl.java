package org.sluice.core.internal.security;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.security.Account;
import org.sluice.api.security.AccountService;
import org.sluice.api.security.Actor;
import org.sluice.api.security.Role;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;

/** Console accounts in the {@code account} table, with PBKDF2 password hashes. */
@Component(service = {AccountService.class, AccountServiceImpl.class})
public class AccountServiceImpl implements AccountService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private final Logger logger = LoggerFactory.getLogger(AccountServiceImpl.class);

    private final Database database;
    private final PasswordHasher hasher = new PasswordHasher();
    private final ShellUsers shellUsers = ShellUsers.ofKaraf();
    private final Clock clock = Clock.systemUTC();

    @Activate
    public AccountServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public Account create(String username, char[] password, Role role, Actor actor) {
        try {
            if (username == null || !USERNAME.matcher(username).matches()) {
                throw new ValidationException(
                        "username", "must be 1 to 128 letters, digits or . _ @ - and start with a letter or digit");
            }
            if (role == null) {
                throw new ValidationException("role", "is required (admin, analyst or read-only)");
            }
            checkPassword(password);
            String hash = hasher.hash(password);
            try {
                Account account = database.inTransaction(em -> {
                    Instant now = clock.instant();
                    AccountEntity entity = new AccountEntity();
                    entity.username = username;
                    entity.passwordHash = hash;
                    entity.role = role;
                    entity.createdAt = now;
                    em.persist(entity);
                    em.flush();
                    AuditLogImpl.append(
                            em, actor, "account.create", "account", username, "role " + role.wireName(), now);
                    return toAccount(entity);
                });
                logger.info("Account '{}' created with role {} by '{}'", username, role.wireName(), actor.name());
                return account;
            } catch (PersistenceException e) {
                if (Database.isConstraintViolation(e)) {
                    throw new ConflictException("an account named '" + username + "' exists already");
                }
                throw e;
            }
        } finally {
            PasswordHasher.clear(password);
        }
    }

    private static void checkPassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new ValidationException("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters long");
        }
    }

    @Override
    public List<Account> list() {
        return database.inTransaction(
                em -> em.createNamedQuery("Account.all", AccountEntity.class).getResultList().stream()
                        .map(AccountServiceImpl::toAccount)
                        .toList());
    }

    @Override
    public Optional<Account> find(String username) {
        return database.inTransaction(em -> byName(em, username).map(AccountServiceImpl::toAccount));
    }

    /** Whether any account exists; the first start creates the admin account when none does. */
    public boolean any() {
        return database.inTransaction(
                em -> em.createNamedQuery("Account.count", Long.class).getSingleResult() > 0);
    }

    @Override
    public Optional<Account> authenticate(String username, char[] password) {
        try {
            Optional<AccountEntity> entity =
                    username == null ? Optional.empty() : database.inTransaction(em -> byName(em, username));
            boolean matches = hasher.verify(
                    password == null ? new char[0] : password,
                    entity.map(e -> e.passwordHash).orElse(null));
            return entity.filter(e -> matches && !e.disabled).map(AccountServiceImpl::toAccount);
        } finally {
            PasswordHasher.clear(password);
        }
    }

    @Override
    public Account changePassword(String username, char[] newPassword, Actor actor) {
        try {
            checkPassword(newPassword);
            String hash = hasher.hash(newPassword);
            Account account =
                    update(username, actor, "account.password", null, (em, entity) -> entity.passwordHash = hash);
            syncShell(account, new String(newPassword));
            return account;
        } finally {
            PasswordHasher.clear(newPassword);
        }
    }

    @Override
    public Account setRole(String username, Role role, Actor actor) {
        if (role == null) {
            throw new ValidationException("role", "is required (admin, analyst or read-only)");
        }
        Account account = update(username, actor, "account.role", role.wireName(), (em, entity) -> {
            if (entity.role == Role.ADMIN && role != Role.ADMIN && !entity.disabled) {
                refuseLastAdmin(em, entity, "demoted");
            }
            entity.role = role;
            revokeKeysAbove(em, entity.username, role, actor);
        });
        syncShell(account, null);
        return account;
    }

    @Override
    public Account setDisabled(String username, boolean disabled, Actor actor) {
        Account account =
                update(username, actor, disabled ? "account.disable" : "account.enable", null, (em, entity) -> {
                    if (disabled && !entity.disabled) {
                        if (entity.role == Role.ADMIN) {
                            refuseLastAdmin(em, entity, "disabled");
                        }
                        revokeKeysAbove(em, entity.username, null, actor);
                    }
                    entity.disabled = disabled;
                });
        syncShell(account, null);
        return account;
    }

    /**
     * Keeps the Karaf shell's users (etc/users.properties) in step with the accounts: an enabled admin's shell password
     * is the account's, set whenever the password changes; any other account has no shell access at all. A promoted
     * admin gets shell access with the next password change (the account keeps only a hash).
     */
    private void syncShell(Account account, String newPassword) {
        try {
            if (account.role() != Role.ADMIN || account.disabled()) {
                shellUsers.remove(account.username());
            } else if (newPassword != null) {
                shellUsers.setPassword(account.username(), newPassword);
            }
        } catch (java.io.IOException e) {
            logger.error(
                    "The shell user '{}' could not be brought in step with the account in etc/users.properties: {}",
                    account.username(),
                    e.getMessage());
        }
    }

    private Account update(
            String username,
            Actor actor,
            String action,
            String detail,
            java.util.function.BiConsumer<EntityManager, AccountEntity> change) {
        return database.inTransaction(em -> {
            AccountEntity entity = byName(em, username).orElseThrow(() -> new NotFoundException("account", username));
            change.accept(em, entity);
            AuditLogImpl.append(em, actor, action, "account", username, detail, clock.instant());
            return toAccount(entity);
        });
    }

    /**
     * Refuses to disable or demote the last enabled admin. The enabled admins' rows are locked (SELECT ... FOR UPDATE)
     * in the transaction that changes the account, so two admins disabling each other at once cannot both succeed: the
     * second waits for the first and then sees one admin fewer.
     */
    private static void refuseLastAdmin(EntityManager em, AccountEntity entity, String change) {
        List<AccountEntity> admins = em.createNamedQuery("Account.enabledAdmins", AccountEntity.class)
                .setParameter("role", Role.ADMIN)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        boolean another = admins.stream().anyMatch(a -> !a.id.equals(entity.id) && a.role == Role.ADMIN && !a.disabled);
        if (!another) {
            throw new ConflictException("'" + entity.username + "' is the last enabled admin account and cannot be "
                    + change + "; make another account an enabled admin first");
        }
    }

    /**
     * Revokes the live API keys the account created whose role outranks {@code role}; every one of them when
     * {@code role} is null (the account is disabled). Each revocation is audited like a manual one.
     */
    private void revokeKeysAbove(EntityManager em, String username, Role role, Actor actor) {
        List<ApiKeyEntity> keys = em.createNamedQuery("ApiKey.liveByCreator", ApiKeyEntity.class)
                .setParameter("creator", username)
                .getResultList();
        Instant now = clock.instant();
        for (ApiKeyEntity key : keys) {
            if (role == null || !role.includes(key.role)) {
                key.revokedAt = now;
                AuditLogImpl.append(
                        em,
                        actor,
                        "apikey.revoke",
                        "apikey",
                        String.valueOf(key.id),
                        "name '" + key.name + "', prefix " + key.prefix + ", role " + key.role.wireName()
                                + (role == null
                                        ? "; its creator '" + username + "' was disabled"
                                        : "; it outranks its creator '" + username + "', now " + role.wireName()),
                        now);
                logger.info(
                        "API key '{}' ({}) revoked with the change of its creator '{}'",
                        key.name,
                        key.prefix,
                        username);
            }
        }
    }

    private static Optional<AccountEntity> byName(EntityManager em, String username) {
        return em.createNamedQuery("Account.byName", AccountEntity.class)
                .setParameter("name", username)
                .getResultStream()
                .findFirst();
    }

    private static Account toAccount(AccountEntity e) {
        return new Account(e.id, e.username, e.role, e.createdAt, e.disabled);
    }
}
