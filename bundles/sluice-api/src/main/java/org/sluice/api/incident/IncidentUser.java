package org.sluice.api.incident;

/**
 * A user named on an incident: a target of the attack, or an account the attacker used.
 *
 * @param username the user name as given
 * @param role what part the user plays
 */
public record IncidentUser(String username, Role role) {

    /** The part a user plays in an incident. */
    public enum Role {
        TARGET,
        ATTACKER,
        /** Reported the message to the abuse mailbox (CLEAR). */
        REPORTER
    }
}
