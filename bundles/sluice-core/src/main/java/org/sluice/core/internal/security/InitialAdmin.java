package org.sluice.core.internal.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.ConflictException;
import org.sluice.api.security.Actor;
import org.sluice.api.security.Role;

/**
 * There is no default password. At first start (no account in the database) this creates the account {@code admin} with
 * a generated password, gives the Karaf shell user {@code admin} the same password (stored hashed in {@code
 * etc/users.properties}, which {@link ShellUsers} keeps in step with the account afterwards), and writes the password
 * to {@code data/sluice/initial-admin-password}, readable by the server's user only. Nodes starting together race
 * harmlessly: the database lets one create the account.
 */
@Component(immediate = true)
public class InitialAdmin {

    static final String USERNAME = "admin";

    private final Logger logger = LoggerFactory.getLogger(InitialAdmin.class);

    @Activate
    public InitialAdmin(@Reference AccountServiceImpl accounts) throws IOException {
        if (accounts.any()) {
            return;
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            accounts.create(USERNAME, password.toCharArray(), Role.ADMIN, Actor.system("first-start"));
        } catch (ConflictException raced) {
            return;
        }
        // A new database (first start, or a switch to another one) means a new admin password: the shell follows it.
        ShellUsers.ofKaraf().setPassword(USERNAME, password);
        Path data = Path.of(System.getProperty("karaf.data", "data"), "sluice");
        Path file = data.resolve("initial-admin-password");
        Files.createDirectories(data);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);

        String message = "Sluice first start: created the admin account 'admin' (console, API and Karaf shell); "
                + "its password is in " + file.toAbsolutePath();
        logger.info(message);
        System.out.println(message);
        System.out.flush();
    }
}
