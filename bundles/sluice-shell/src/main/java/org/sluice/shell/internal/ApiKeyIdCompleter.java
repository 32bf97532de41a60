package org.sluice.shell.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.sluice.api.security.ApiKeyService;

/** Completes the ids of API keys that are not revoked. */
@Service
public class ApiKeyIdCompleter implements Completer {

    @Reference
    private ApiKeyService apiKeys;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        apiKeys.list().stream()
                .filter(k -> !k.revoked())
                .forEach(k -> ids.getStrings().add(String.valueOf(k.id())));
        return ids.complete(session, commandLine, candidates);
    }
}
