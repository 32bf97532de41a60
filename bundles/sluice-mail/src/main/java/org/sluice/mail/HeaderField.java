package org.sluice.mail;

import java.util.Objects;

/**
 * One header field as it appeared in the message.
 *
 * @param name the field name as written (case kept)
 * @param raw the value as written, folding included, bytes read as UTF-8 where valid and as a fallback charset
 *     otherwise; encoded words are not decoded
 * @param value the value unfolded, with RFC 2047 encoded words decoded; never contains CR or LF
 */
public record HeaderField(String name, String raw, String value) {

    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(value, "value");
    }

    /** True when this field's name equals {@code other}, ignoring case. */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }
}
