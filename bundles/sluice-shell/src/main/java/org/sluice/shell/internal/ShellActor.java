package org.sluice.shell.internal;

import java.security.AccessController;
import java.security.Principal;
import javax.security.auth.Subject;
import org.sluice.api.security.Actor;

/** The shell user running a command, as the actor recorded in the audit log. */
final class ShellActor {

    private ShellActor() {}

    @SuppressWarnings("removal")
    static Actor current() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject != null) {
            for (Principal principal : subject.getPrincipals()) {
                if (principal.getClass().getSimpleName().equals("UserPrincipal")) {
                    return Actor.user(principal.getName(), "shell");
                }
            }
        }
        return new Actor(Actor.Kind.USER, "shell", "shell");
    }
}
