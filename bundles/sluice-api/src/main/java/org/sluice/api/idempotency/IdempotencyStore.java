package org.sluice.api.idempotency;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Remembers the responses of requests sent with an {@code Idempotency-Key}, so that a client retrying a request it
 * is unsure about gets the first answer again instead of doing the work twice. Keys are scoped by caller: two callers
 * never see each other's responses. Records are kept for {@link #RETENTION_HOURS} hours.
 */
@ProviderType
public interface IdempotencyStore {

    int RETENTION_HOURS = 24;

    /**
     * Claims {@code key} for a request whose method, path and body hash to {@code requestHash}. Exactly one of
     * several concurrent claims of a new key gets {@link Claim.State#NEW}; the others get {@link
     * Claim.State#IN_PROGRESS}.
     */
    Claim claim(String scope, String key, String requestHash);

    /** Stores the response of a claimed key. */
    void complete(String scope, String key, int status, String body);

    /** Forgets a claimed key whose request failed on the server's side, so that the client may retry it. */
    void release(String scope, String key);

    /**
     * The result of a claim.
     *
     * @param status the stored response's status, for {@link State#REPLAY}
     * @param body the stored response's body, for {@link State#REPLAY}
     */
    record Claim(State state, int status, String body) {

        /** What the caller should do. */
        public enum State {
            /** First use of the key: do the work, then {@link #complete}. */
            NEW,
            /** The same request completed before: answer with the stored response. */
            REPLAY,
            /** The same key is being worked on right now. */
            IN_PROGRESS,
            /** The key was used before for a different request. */
            MISMATCH
        }
    }
}
