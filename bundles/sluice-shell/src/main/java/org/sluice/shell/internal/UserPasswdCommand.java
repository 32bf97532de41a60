package org.sluice.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.sluice.api.security.AccountService;

@Service
@Command(
        scope = "sluice",
        name = "user-passwd",
        description = "Sets a console user's password (the Karaf shell's own users are in etc/users.properties)")
public class UserPasswdCommand implements Action {

    @Reference
    private AccountService accounts;

    @Reference
    private Session session;

    @Argument(index = 0, name = "username", required = true)
    private String username;

    @Option(name = "--generate", description = "Generate a strong password and print it, instead of prompting")
    private boolean generate;

    @Override
    public Object execute() throws Exception {
        accounts.changePassword(username, Passwords.obtain(session, generate), ShellActor.current());
        System.out.println("Password of '" + username + "' changed");
        return null;
    }
}
