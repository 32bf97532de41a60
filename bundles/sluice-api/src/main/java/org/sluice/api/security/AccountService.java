package org.sluice.api.security;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Console users and their roles. Passwords are held only as salted, slow hashes; callers pass them as character
 * arrays, which this service clears after use. Every change is audited.
 */
@ProviderType
public interface AccountService {

    /** The shortest password accepted. */
    int MIN_PASSWORD_LENGTH = 12;

    /**
     * Creates a user. Fails with {@link org.sluice.api.error.ValidationException} for a bad name or a password shorter
     * than {@link #MIN_PASSWORD_LENGTH}, and with {@link org.sluice.api.error.ConflictException} for a taken name.
     */
    Account create(String username, char[] password, Role role, Actor actor);

    List<Account> list();

    Optional<Account> find(String username);

    /** The account when the name and password match an enabled user; empty otherwise, taking the same time. */
    Optional<Account> authenticate(String username, char[] password);

    Account changePassword(String username, char[] newPassword, Actor actor);

    Account setRole(String username, Role role, Actor actor);

    Account setDisabled(String username, boolean disabled, Actor actor);
}
