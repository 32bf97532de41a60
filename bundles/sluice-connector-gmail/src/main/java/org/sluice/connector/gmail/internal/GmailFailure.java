package org.sluice.connector.gmail.internal;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.Retryable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.sluice.api.response.RetryAfter;

/**
 * A failed Gmail or token call, classified for the response queue.
 *
 * @param kind what the failure means for the caller
 * @param httpStatus the HTTP status, or 0 when the call got no answer
 * @param reason Gmail's error reason ({@code rateLimitExceeded}, {@code notFound}), or {@code null}
 * @param message the server's message, shortened, or the I/O error's
 * @param retryAfter how long the server asked to wait (the longer of the Retry-After header and a "Retry after
 *     &lt;time&gt;" in the message), or {@code null}
 */
record GmailFailure(Kind kind, int httpStatus, String reason, String message, Duration retryAfter) {

    /** What a failure means. */
    enum Kind {
        /** Per-user or project rate limit: retry after the wait. */
        RATE_LIMITED,
        /** The project's daily quota is spent: pause the whole connector instance until the quota resets. */
        DAILY_LIMIT,
        /** Server error or no answer: retry. */
        TRANSIENT,
        /** The message (or mailbox) does not exist. */
        NOT_FOUND,
        /** Refused for good: bad credentials, delegation not granted, bad request. */
        PERMANENT
    }

    private static final int MAX_MESSAGE = 300;

    /** The status and reason in the form outcomes carry, such as {@code 403 rateLimitExceeded}. */
    String providerStatus() {
        String status = httpStatus == 0 ? "io" : String.valueOf(httpStatus);
        return reason == null ? status : status + " " + reason;
    }

    /** A short explanation for people: what was refused and why, never a token or message content. */
    String describe(String action) {
        return action + " failed: " + providerStatus() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Classifies an exception thrown by a Gmail call or by fetching its access token. */
    static GmailFailure of(IOException e, Clock clock) {
        if (e instanceof GoogleJsonResponseException json) {
            GoogleJsonError details = json.getDetails();
            String reason = null;
            String message = null;
            if (details != null) {
                message = details.getMessage();
                if (details.getErrors() != null && !details.getErrors().isEmpty()) {
                    reason = details.getErrors().get(0).getReason();
                    if (message == null) {
                        message = details.getErrors().get(0).getMessage();
                    }
                }
            } else {
                // The client library drops a body it cannot parse (Google's own documented 401 sample is such a
                // body): only the status line is left.
                message = json.getContent() != null ? json.getContent() : json.getStatusMessage();
            }
            String header =
                    json.getHeaders() == null ? null : json.getHeaders().getFirstHeaderStringValue("Retry-After");
            return classify(json.getStatusCode(), reason, shorten(message), retryAfter(header, message, clock));
        }
        if (e instanceof HttpResponseException http) {
            String header =
                    http.getHeaders() == null ? null : http.getHeaders().getFirstHeaderStringValue("Retry-After");
            return classify(
                    http.getStatusCode(),
                    null,
                    shorten(http.getContent()),
                    retryAfter(header, http.getContent(), clock));
        }
        if (e instanceof Retryable || e.getCause() instanceof HttpResponseException) {
            return tokenFailure(e, clock);
        }
        return new GmailFailure(
                Kind.TRANSIENT, 0, null, shorten(e.getClass().getSimpleName() + ": " + e.getMessage()), null);
    }

    /** The token endpoint refused or failed: {@code invalid_grant} and the like are permanent, 5xx and I/O are not. */
    private static GmailFailure tokenFailure(IOException auth, Clock clock) {
        Throwable cause = auth.getCause();
        if (cause instanceof HttpResponseException http) {
            int status = http.getStatusCode();
            String header =
                    http.getHeaders() == null ? null : http.getHeaders().getFirstHeaderStringValue("Retry-After");
            Duration wait = retryAfter(header, http.getContent(), clock);
            String message = shorten("token endpoint: " + http.getContent());
            if (status == 429 || status >= 500) {
                return new GmailFailure(
                        status == 429 ? Kind.RATE_LIMITED : Kind.TRANSIENT, status, "token", message, wait);
            }
            return new GmailFailure(Kind.PERMANENT, status, "token", message, null);
        }
        String message = shorten("token endpoint: " + auth.getMessage());
        return !(auth instanceof Retryable retryable) || retryable.isRetryable()
                ? new GmailFailure(Kind.TRANSIENT, 0, "token", message, null)
                : new GmailFailure(Kind.PERMANENT, 0, "token", message, null);
    }

    static GmailFailure classify(int status, String reason, String message, Duration retryAfter) {
        Kind kind;
        if (status == 429) {
            kind = Kind.RATE_LIMITED;
        } else if (status == 403 && "dailyLimitExceeded".equals(reason)) {
            kind = Kind.DAILY_LIMIT;
        } else if (status == 403 && ("rateLimitExceeded".equals(reason) || "userRateLimitExceeded".equals(reason))) {
            kind = Kind.RATE_LIMITED;
        } else if (status >= 500 || status == 408) {
            kind = Kind.TRANSIENT;
        } else if (status == 404) {
            kind = Kind.NOT_FOUND;
        } else {
            kind = Kind.PERMANENT;
        }
        return new GmailFailure(kind, status, reason, message, retryAfter);
    }

    /**
     * The longer of a Retry-After header (whole or decimal seconds, or an HTTP date) and a "Retry after &lt;RFC 3339
     * time&gt;" in the error text, from now; {@code null} when neither is present or valid.
     */
    static Duration retryAfter(String header, String text, Clock clock) {
        return RetryAfter.longest(header, text, clock.instant());
    }

    private static String shorten(String text) {
        if (text == null) {
            return null;
        }
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "...";
    }
}
