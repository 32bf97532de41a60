package org.sluice.shell.internal;

import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.sluice.api.incident.Page;
import org.sluice.api.response.JobState;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseQueue;

@Service
@Command(
        scope = "sluice",
        name = "queue",
        description = "Shows the response queue: depth by state, or the jobs in one state")
public class QueueCommand implements Action {

    // Optional: Karaf registers a bundle's commands only when all their required services are present.
    @Reference(optional = true)
    private ResponseQueue queue;

    @Option(name = "--state", description = "List the jobs in this state instead of counting all states")
    @Completion(
            values = {"queued", "running", "succeeded", "not-found", "failed", "cancelled"},
            value = StringsCompleter.class)
    private String state;

    @Option(name = "--limit", description = "How many jobs to list (at most 500)")
    private int limit = 50;

    @Option(name = "--no-format", description = "Tab-separated output without borders, for scripts")
    private boolean noFormat;

    @Override
    public Object execute() {
        if (queue == null) {
            throw new IllegalStateException("the response queue is not running (is the database up?)");
        }
        ShellTable table = new ShellTable();
        if (state == null) {
            table.column("State");
            table.column("Jobs");
            for (Map.Entry<JobState, Long> depth : queue.depthByState().entrySet()) {
                table.addRow().addContent(Formats.name(depth.getKey()), depth.getValue());
            }
        } else {
            JobState filter = JobState.valueOf(
                    state.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            Page<ResponseJob> page = queue.list(filter, 0, Math.min(limit, 500));
            for (String column :
                    new String[] {"Id", "Type", "Incident", "Target", "Attempts", "Next attempt", "Node", "Detail"}) {
                table.column(column);
            }
            for (ResponseJob job : page.items()) {
                table.addRow()
                        .addContent(
                                job.id(),
                                job.type(),
                                job.incidentId() == null ? "" : job.incidentId(),
                                Formats.shorten(job.target(), 40),
                                job.attempts() + "/" + job.maxAttempts(),
                                Formats.time(job.nextAttemptAt()),
                                Formats.text(job.claimedBy()),
                                Formats.shorten(job.lastDetail(), 60));
            }
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
