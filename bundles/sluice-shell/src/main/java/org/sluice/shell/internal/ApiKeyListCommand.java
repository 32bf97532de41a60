package org.sluice.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.sluice.api.security.ApiKey;
import org.sluice.api.security.ApiKeyService;

@Service
@Command(scope = "sluice", name = "apikey-list", description = "Lists API keys (never their secrets)")
public class ApiKeyListCommand implements Action {

    @Reference
    private ApiKeyService apiKeys;

    @Option(name = "--no-format", description = "Tab-separated output without borders, for scripts")
    private boolean noFormat;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column :
                new String[] {"Id", "Name", "Prefix", "Role", "Created by", "Created", "Last used", "Revoked"}) {
            table.column(column);
        }
        for (ApiKey key : apiKeys.list()) {
            table.addRow()
                    .addContent(
                            key.id(),
                            Formats.text(key.name()),
                            key.prefix(),
                            key.role().wireName(),
                            Formats.text(key.createdBy()),
                            Formats.time(key.createdAt()),
                            Formats.time(key.lastUsedAt()),
                            Formats.time(key.revokedAt()));
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
