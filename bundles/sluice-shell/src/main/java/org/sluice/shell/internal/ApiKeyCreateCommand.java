package org.sluice.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.CreatedApiKey;
import org.sluice.api.security.Role;

@Service
@Command(
        scope = "sluice",
        name = "apikey-create",
        description = "Creates an API key and prints it; this is the only time the key is shown")
public class ApiKeyCreateCommand implements Action {

    @Reference
    private ApiKeyService apiKeys;

    @Argument(index = 0, name = "name", description = "Who or what uses the key, e.g. soar-playbooks", required = true)
    private String name;

    @Argument(index = 1, name = "role", description = "admin, analyst or read-only", required = true)
    @Completion(RoleCompleter.class)
    private String role;

    @Override
    public Object execute() {
        CreatedApiKey created = apiKeys.create(name, Role.parse(role), ShellActor.current());
        System.out.println("API key " + created.key().id() + " ("
                + created.key().prefix() + ") for '" + created.key().name() + "', role "
                + created.key().role().wireName() + ":");
        System.out.println(created.secret());
        System.out.println("Store it now: Sluice keeps only a hash and cannot show it again.");
        return null;
    }
}
