package org.sluice.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.sluice.api.incident.IncidentQuery;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.IncidentState;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.system.SystemInfo;

@Service
@Command(scope = "sluice", name = "status", description = "Shows the server's version, database, incidents and queue")
public class StatusCommand implements Action {

    @Reference
    private SystemInfo system;

    @Reference
    private IncidentService incidents;

    @Reference(optional = true)
    private ResponseQueue queue;

    @Option(name = "--no-format", description = "Tab-separated output without borders, for scripts")
    private boolean noFormat;

    @Override
    public Object execute() {
        SystemInfo.Status status = system.status();
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value");
        table.addRow().addContent("version", status.version());
        table.addRow().addContent("node", status.nodeId());
        table.addRow().addContent("started", Formats.time(status.startedAt()));
        table.addRow()
                .addContent(
                        "uptime",
                        Duration.between(status.startedAt(), Instant.now()).withNanos(0));
        table.addRow().addContent("database", status.database());
        table.addRow().addContent("schema", status.schemaChangeSet());
        for (IncidentState state : IncidentState.values()) {
            long count = incidents
                    .find(new IncidentQuery(Set.of(state), null, null, null, null, null, null, 0, 1))
                    .total();
            table.addRow().addContent("incidents " + Formats.name(state), count);
        }
        if (queue == null) {
            table.addRow().addContent("queue", "not running");
        } else {
            for (Map.Entry<JobState, Long> depth : queue.depthByState().entrySet()) {
                table.addRow().addContent("queue " + Formats.name(depth.getKey()), depth.getValue());
            }
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
