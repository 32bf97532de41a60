package org.sluice.response.testing.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseQueue;
import org.sluice.api.security.Actor;

/** TEST ONLY. Queues jobs of the type {@code testing}; prints one line {@code enqueued<TAB>id} per job. */
@Command(scope = "sluice-testing", name = "enqueue", description = "Queues test-only 'testing' response jobs")
@Service
public class EnqueueCommand implements Action {

    @Reference
    private ResponseQueue queue;

    @Option(name = "--count", description = "How many jobs")
    private int count = 1;

    @Option(name = "--sleep-ms", description = "Milliseconds each attempt sleeps before acting")
    private long sleepMs;

    @Option(name = "--fail-first", description = "Attempts that fail as retryable first")
    private int failFirst;

    @Option(name = "--max-attempts", description = "Attempt budget; 0 takes the default")
    private int maxAttempts;

    @Override
    public Object execute() {
        Map<String, String> parameters = new HashMap<>();
        if (sleepMs > 0) {
            parameters.put("sleepMs", String.valueOf(sleepMs));
        }
        if (failFirst > 0) {
            parameters.put("failFirst", String.valueOf(failFirst));
        }
        for (int i = 0; i < count; i++) {
            ResponseJob job = queue.enqueue(
                    TestingResponseType.TYPE,
                    null,
                    "test-target-" + i,
                    parameters,
                    maxAttempts,
                    new Actor(Actor.Kind.USER, "itest", "shell"));
            System.out.println("enqueued\t" + job.id());
        }
        return null;
    }
}
