package org.sluice.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.sluice.api.security.Account;
import org.sluice.api.security.AccountService;

@Service
@Command(scope = "sluice", name = "user-list", description = "Lists console users and their roles")
public class UserListCommand implements Action {

    @Reference
    private AccountService accounts;

    @Option(name = "--no-format", description = "Tab-separated output without borders, for scripts")
    private boolean noFormat;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("User");
        table.column("Role");
        table.column("Created");
        table.column("Disabled");
        for (Account account : accounts.list()) {
            table.addRow()
                    .addContent(
                            account.id(),
                            account.username(),
                            account.role().wireName(),
                            Formats.time(account.createdAt()),
                            account.disabled() ? "yes" : "");
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
