package org.sluice.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.sluice.api.security.Account;
import org.sluice.api.security.AccountService;
import org.sluice.api.security.Role;

@Service
@Command(scope = "sluice", name = "user-add", description = "Creates a console user")
public class UserAddCommand implements Action {

    @Reference
    private AccountService accounts;

    @Reference
    private Session session;

    @Argument(index = 0, name = "username", required = true)
    private String username;

    @Argument(index = 1, name = "role", description = "admin, analyst or read-only", required = true)
    @Completion(RoleCompleter.class)
    private String role;

    @Option(name = "--generate", description = "Generate a strong password and print it, instead of prompting")
    private boolean generate;

    @Override
    public Object execute() throws Exception {
        Role parsed = Role.parse(role);
        Account account = accounts.create(username, Passwords.obtain(session, generate), parsed, ShellActor.current());
        System.out.println("User '" + account.username() + "' created with role "
                + account.role().wireName());
        return null;
    }
}
