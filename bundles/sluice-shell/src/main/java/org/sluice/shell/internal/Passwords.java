package org.sluice.shell.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import org.apache.karaf.shell.api.console.Session;

/** Getting a new password for a command: typed twice at a masked prompt, or generated and shown once. */
final class Passwords {

    private Passwords() {}

    static char[] obtain(Session session, boolean generate) throws IOException {
        if (generate) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            System.out.println("Generated password (shown once): " + password);
            return password.toCharArray();
        }
        String first = session.readLine("New password: ", '*');
        String second = session.readLine("Repeat it: ", '*');
        if (first == null || !first.equals(second)) {
            throw new IllegalArgumentException("the two passwords differ; nothing was changed");
        }
        return first.toCharArray();
    }
}
