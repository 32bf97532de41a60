package org.sluice.core.internal.quarantine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the recipients of an alert's email ({@code email.to}, {@code cc}, {@code bcc} and {@code recipient}, each a
 * string, a comma-separated string, an {@code {"email": ...}} object or a list of those) and keeps the internal ones
 * (SPEC R5). A pure function; addresses come lower-cased, each once.
 */
final class Recipients {

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\",;]{1,64}@[a-z0-9.-]{1,253}");
    private static final List<String> FIELDS = List.of("to", "cc", "bcc", "recipient", "recipients");

    private Recipients() {}

    /** Every recipient address of the alert payload's {@code email} object, internal or not. */
    static Set<String> all(Map<String, Object> alertData) {
        Set<String> out = new LinkedHashSet<>();
        if (alertData != null && alertData.get("email") instanceof Map<?, ?> email) {
            for (String field : FIELDS) {
                collect(email.get(field), out);
            }
        }
        return out;
    }

    /** The addresses whose domain is one of {@code internalDomains} (exactly, or a subdomain is not enough). */
    static List<String> internal(Set<String> addresses, List<String> internalDomains) {
        List<String> out = new ArrayList<>();
        for (String address : addresses) {
            if (isInternal(address, internalDomains)) {
                out.add(address);
            }
        }
        return out;
    }

    static boolean isInternal(String address, List<String> internalDomains) {
        String domain = address.substring(address.lastIndexOf('@') + 1);
        return internalDomains.contains(domain);
    }

    /** The address in a value of the form {@code a@b}, {@code Name <a@b>}, or {@code null}. */
    static String address(String value) {
        String text = value.strip();
        int open = text.lastIndexOf('<');
        int close = text.lastIndexOf('>');
        if (open >= 0 && close > open) {
            text = text.substring(open + 1, close).strip();
        }
        text = text.toLowerCase(Locale.ROOT);
        return ADDRESS.matcher(text).matches() ? text : null;
    }

    private static void collect(Object value, Set<String> out) {
        if (value instanceof String text) {
            for (String part : text.split("[,;]")) {
                String address = part.isBlank() ? null : address(part);
                if (address != null) {
                    out.add(address);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            collect(map.get("email"), out);
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                collect(item, out);
            }
        }
    }
}
