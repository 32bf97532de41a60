package org.sluice.mail;

import java.util.List;
import java.util.Objects;

/**
 * One authentication-results header. Which of them to trust is the reader's decision: only those added by the
 * receiving organisation's own servers (recognised by {@link #authservId()}) are meaningful; any other can be forged
 * by the sender.
 *
 * @param headerName {@code Authentication-Results}, {@code ARC-Authentication-Results} or {@code Received-SPF}
 * @param instance the ARC instance ({@code i=}) for ARC headers, 0 otherwise
 * @param authservId the authentication service identifier (the host that evaluated), or empty
 * @param results the method results in order; empty for {@code none}
 */
public record AuthenticationResults(String headerName, int instance, String authservId, List<AuthResult> results) {

    public AuthenticationResults {
        Objects.requireNonNull(headerName, "headerName");
        authservId = authservId == null ? "" : authservId;
        results = List.copyOf(results);
    }
}
