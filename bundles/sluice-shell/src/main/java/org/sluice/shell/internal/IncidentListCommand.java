package org.sluice.shell.internal;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentQuery;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentState;
import org.sluice.api.incident.Page;

@Service
@Command(scope = "sluice", name = "incident-list", description = "Lists incidents, newest first")
public class IncidentListCommand implements Action {

    @Reference
    private IncidentService incidents;

    @Option(name = "--state", description = "Only these states, comma-separated (new, open, assigned, closed, ignored)")
    @Completion(
            values = {"new", "open", "assigned", "closed", "ignored"},
            value = StringsCompleter.class)
    private String states;

    @Option(name = "--limit", description = "How many incidents to show (at most 500)")
    private int limit = 50;

    @Option(name = "--offset", description = "How many of the newest incidents to skip")
    private int offset;

    @Option(name = "--no-format", description = "Tab-separated output without borders, for scripts")
    private boolean noFormat;

    @Override
    public Object execute() {
        Set<IncidentState> filter = states == null
                ? Set.of()
                : Arrays.stream(states.split(","))
                        .map(String::trim)
                        .map(IncidentState::parse)
                        .collect(Collectors.toSet());
        Page<Incident> page = incidents.find(
                new IncidentQuery(filter, null, null, null, null, null, null, offset, Math.min(limit, 500)));
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("State");
        table.column("Severity");
        table.column("Alerts");
        table.column("Created");
        table.column("Summary").maxSize(60);
        for (Incident incident : page.items()) {
            table.addRow()
                    .addContent(
                            incident.id(),
                            Formats.name(incident.state()),
                            Formats.name(incident.severity()),
                            incident.alertCount(),
                            Formats.time(incident.createdAt()),
                            Formats.text(incident.summary()));
        }
        table.print(System.out, !noFormat);
        if (!noFormat) {
            System.out.println(page.items().size() + " of " + page.total() + " incidents");
        }
        return null;
    }
}
