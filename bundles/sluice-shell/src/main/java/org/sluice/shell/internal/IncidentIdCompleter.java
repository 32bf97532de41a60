package org.sluice.shell.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.sluice.api.incident.IncidentQuery;
import org.sluice.api.incident.IncidentService;

/** Completes incident ids with the most recent incidents. */
@Service
public class IncidentIdCompleter implements Completer {

    private static final int SUGGESTIONS = 50;

    @Reference
    private IncidentService incidents;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        incidents
                .find(IncidentQuery.all(0, SUGGESTIONS))
                .items()
                .forEach(incident -> ids.getStrings().add(String.valueOf(incident.id())));
        return ids.complete(session, commandLine, candidates);
    }
}
