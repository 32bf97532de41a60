package org.sluice.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.sluice.api.security.ApiKey;
import org.sluice.api.security.ApiKeyService;

@Service
@Command(scope = "sluice", name = "apikey-revoke", description = "Revokes an API key; it stops working at once")
public class ApiKeyRevokeCommand implements Action {

    @Reference
    private ApiKeyService apiKeys;

    @Argument(index = 0, name = "id", description = "The key's id (see sluice:apikey-list)", required = true)
    @Completion(ApiKeyIdCompleter.class)
    private long id;

    @Override
    public Object execute() {
        ApiKey key = apiKeys.revoke(id, ShellActor.current());
        System.out.println("API key " + key.id() + " (" + key.prefix() + ") for '" + key.name() + "' is revoked");
        return null;
    }
}
