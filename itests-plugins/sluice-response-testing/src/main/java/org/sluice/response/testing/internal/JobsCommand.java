package org.sluice.response.testing.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.sluice.api.incident.Page;
import org.sluice.api.response.ResponseAttempt;
import org.sluice.api.response.ResponseJob;
import org.sluice.api.response.ResponseQueue;

/**
 * TEST ONLY. Prints every job of the type {@code testing} as tab-separated lines, for scripts: {@code
 * job<TAB>id<TAB>state<TAB>attempts<TAB>maxAttempts}, each followed by its attempts as {@code
 * attempt<TAB>jobId<TAB>number<TAB>node<TAB>status<TAB>nextAttemptAt}, and a last line {@code end<TAB>jobCount}.
 */
@Command(scope = "sluice-testing", name = "jobs", description = "Lists test-only 'testing' response jobs")
@Service
public class JobsCommand implements Action {

    private static final int PAGE = 500;

    @Reference
    private ResponseQueue queue;

    @Override
    public Object execute() {
        int jobs = 0;
        for (int offset = 0; ; offset += PAGE) {
            Page<ResponseJob> page = queue.list(null, offset, PAGE);
            for (ResponseJob job : page.items()) {
                if (!TestingResponseType.TYPE.equals(job.type())) {
                    continue;
                }
                jobs++;
                System.out.println(
                        "job\t" + job.id() + "\t" + job.state() + "\t" + job.attempts() + "\t" + job.maxAttempts());
                for (ResponseAttempt attempt : queue.attempts(job.id())) {
                    System.out.println("attempt\t" + attempt.jobId() + "\t" + attempt.number() + "\t" + attempt.node()
                            + "\t" + attempt.status() + "\t" + attempt.nextAttemptAt());
                }
            }
            if (page.items().size() < PAGE) {
                break;
            }
        }
        System.out.println("end\t" + jobs);
        return null;
    }
}
