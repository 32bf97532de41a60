package org.sluice.core.internal.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.sluice.core.internal.Hashes;

/**
 * The Karaf shell's users in {@code etc/users.properties}, kept in step with the Sluice accounts of the same name:
 * an admin account's password is its shell password, and an account that is disabled or no longer admin loses its
 * shell access. Passwords are written in the form Karaf's JAAS "basic" encryption compares with (SHA-256, hex); the
 * file is rewritten atomically and readable by the server's user only.
 */
final class ShellUsers {

    private final Path file;

    ShellUsers(Path file) {
        this.file = file;
    }

    static ShellUsers ofKaraf() {
        return new ShellUsers(Path.of(System.getProperty("karaf.etc", "etc"), "users.properties"));
    }

    /** Whether the file defines a shell user of that name. */
    synchronized boolean has(String username) throws IOException {
        return lines().stream().anyMatch(line -> definesUser(line, username));
    }

    /** Sets the user's password, adding the user to the admin group when it is not there yet. */
    synchronized void setPassword(String username, String password) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : lines()) {
            if (!definesUser(line, username)) {
                out.add(line);
            }
        }
        out.add(username + " = {CRYPT}" + sha256Hex(password) + "{CRYPT},_g_:admingroup");
        write(out);
    }

    /** Removes the user's shell access; nothing happens when the user has none. */
    synchronized void remove(String username) throws IOException {
        List<String> lines = lines();
        List<String> out =
                lines.stream().filter(line -> !definesUser(line, username)).toList();
        if (out.size() != lines.size()) {
            write(out);
        }
    }

    private List<String> lines() throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private void write(List<String> lines) throws IOException {
        Path staging = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(staging);
        Files.createFile(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(staging, lines, StandardCharsets.UTF_8);
        Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean definesUser(String line, String username) {
        String trimmed = line.strip();
        if (trimmed.startsWith("#") || !trimmed.startsWith(username)) {
            return false;
        }
        String rest = trimmed.substring(username.length()).stripLeading();
        return rest.startsWith("=") || rest.startsWith(":");
    }

    /** The form Karaf's JAAS "basic" encryption compares with: SHA-256, lower-case hexadecimal. */
    private static String sha256Hex(String password) {
        return Hashes.sha256Hex(password);
    }
}
