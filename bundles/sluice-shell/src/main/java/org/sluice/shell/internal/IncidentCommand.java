package org.sluice.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.Comment;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentService;

@Service
@Command(scope = "sluice", name = "incident", description = "Shows one incident with its alerts and comments")
public class IncidentCommand implements Action {

    @Reference
    private IncidentService incidents;

    @Argument(index = 0, name = "id", description = "The incident's id", required = true)
    @Completion(IncidentIdCompleter.class)
    private long id;

    @Option(name = "--no-format", description = "Tab-separated output without borders, for scripts")
    private boolean noFormat;

    @Override
    public Object execute() {
        Incident incident = incidents.get(id).orElseThrow(() -> new NotFoundException("incident", id));
        ShellTable details = new ShellTable();
        details.column("Property");
        details.column("Value").maxSize(100);
        details.addRow().addContent("id", incident.id());
        details.addRow().addContent("summary", Formats.text(incident.summary()));
        details.addRow().addContent("state", Formats.name(incident.state()));
        details.addRow().addContent("severity", Formats.name(incident.severity()));
        details.addRow().addContent("assignee", Formats.text(incident.assignee()));
        details.addRow().addContent("team", Formats.text(incident.team()));
        details.addRow().addContent("source", incident.sourceType());
        details.addRow().addContent("link key", Formats.text(incident.linkKey()));
        details.addRow().addContent("created", Formats.time(incident.createdAt()));
        details.addRow().addContent("closed", Formats.time(incident.closedAt()));
        details.addRow().addContent("close summary", Formats.text(incident.closeSummary()));
        details.addRow()
                .addContent(
                        "quarantines ok/failed", incident.successfulQuarantines() + "/" + incident.failedQuarantines());
        details.print(System.out, !noFormat);

        ShellTable alerts = new ShellTable();
        alerts.column("Alert");
        alerts.column("Source");
        alerts.column("Severity");
        alerts.column("Received");
        alerts.column("Summary").maxSize(60);
        for (Alert alert : incidents.alerts(id)) {
            alerts.addRow()
                    .addContent(
                            alert.id(),
                            alert.sourceType(),
                            Formats.name(alert.severity()),
                            Formats.time(alert.receivedAt()),
                            Formats.text(alert.summary()));
        }
        alerts.print(System.out, !noFormat);

        ShellTable comments = new ShellTable();
        comments.column("When");
        comments.column("Who");
        comments.column("Comment").maxSize(80);
        for (Comment comment : incidents.comments(id)) {
            comments.addRow()
                    .addContent(
                            Formats.time(comment.createdAt()),
                            Formats.text(comment.author()),
                            Formats.text(comment.text()));
        }
        comments.print(System.out, !noFormat);
        return null;
    }
}
