package org.sluice.mail;

import java.util.Objects;

/**
 * A limit the parser hit or a defect it worked around while reading one message. Findings never stop parsing: the
 * model holds what could be read, and the findings say what is missing or suspect.
 *
 * @param kind what happened
 * @param where the part path ({@code "1.2"}), header name or other location it concerns; empty when the whole message
 * @param detail a short human-readable description; may quote (decoded, length-capped) message content
 */
public record Finding(FindingKind kind, String where, String detail) {

    public Finding {
        Objects.requireNonNull(kind, "kind");
        where = where == null ? "" : where;
        detail = detail == null ? "" : detail;
    }
}
