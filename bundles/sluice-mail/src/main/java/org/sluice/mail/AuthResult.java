package org.sluice.mail;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One method result inside an {@code Authentication-Results} (RFC 8601) or {@code ARC-Authentication-Results}
 * header, or derived from a {@code Received-SPF} header.
 *
 * @param method the method in lower case ({@code spf}, {@code dkim}, {@code dmarc}, {@code arc}, ...), version
 *     suffix removed
 * @param result the result in lower case ({@code pass}, {@code fail}, {@code softfail}, {@code none}, ...)
 * @param reason the {@code reason=} text, or empty
 * @param properties the {@code ptype.property=value} pairs in order, keys in lower case (e.g. {@code smtp.mailfrom},
 *     {@code header.d}, {@code header.from}); comments are dropped
 */
public record AuthResult(String method, String result, String reason, Map<String, String> properties) {

    public AuthResult {
        method = Objects.requireNonNull(method, "method").toLowerCase(Locale.ROOT);
        result = Objects.requireNonNull(result, "result").toLowerCase(Locale.ROOT);
        reason = reason == null ? "" : reason;
        properties = Map.copyOf(properties);
    }

    /** The value of a property such as {@code header.d}, or empty when absent. */
    public String property(String key) {
        return properties.getOrDefault(key.toLowerCase(Locale.ROOT), "");
    }

    /** True when the result is {@code pass}. */
    public boolean passed() {
        return result.equals("pass");
    }
}
