package org.sluice.api.response;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of response work (quarantine of a copy, undo, password invalidation, a notification), provided by a plugin
 * bundle as an OSGi service. The core finds it by {@link #type()}; work queued for a type that is not registered waits
 * until it is.
 *
 * <p><b>Check before act.</b> A node can die after the outside world was changed and before the outcome was recorded,
 * so the same request may be attempted again. {@link #execute} must therefore first look whether its effect is already
 * in place and, if so, return {@link ResponseOutcome.Status#ALREADY_DONE} without acting again. Sending mail is the one
 * effect that cannot be checked; such types use the job id to build a stable Message-ID instead.
 *
 * <p><b>Threading.</b> {@code execute} is called from the queue's worker threads, never inside a database
 * transaction, possibly for several requests at once. The core enforces a timeout and catches every exception; a
 * thrown exception counts as a retryable failure, so implementations should return structured outcomes instead.
 */
@ConsumerType
public interface ResponseType {

    /** The service property carrying the type name, so that filters can select one type. */
    String TYPE_PROPERTY = "sluice.response.type";

    /** The stable type name stored with queued work, such as {@code imap-quarantine}. Never changes. */
    String type();

    /** Performs one attempt of the request, checking first whether it already took effect. */
    ResponseOutcome execute(ResponseRequest request) throws Exception;
}
