package org.sluice.mail;

import java.util.List;
import java.util.Objects;

/**
 * A URL found in a message, cleaned for analysis: de-obfuscated ({@code hxxp}, {@code [.]}), given a scheme when it
 * had none, and unwrapped from link-protection rewriters (Microsoft Safe Links, Proofpoint URL Defense).
 *
 * @param url the URL to analyse (after de-obfuscation and unwrapping)
 * @param raw the text as found in the message (HTML entities decoded)
 * @param source where it was found
 * @param partPath the MIME part it came from
 * @param host the host of {@code url} in lower case, or empty when it has none
 * @param anchorText for an HTML link, its visible text (whitespace collapsed); empty otherwise
 * @param wrappers the rewriters removed, outermost first ({@code safelinks}, {@code proofpoint-v1}, {@code -v2},
 *     {@code -v3}); empty when the URL was not wrapped
 * @param obfuscated true when the raw form was defanged ({@code hxxp}, {@code [.]}, {@code [:]})
 * @param schemeAdded true when the raw form had no scheme ({@code www.example.com/x}) and {@code http://} was added
 */
public record ExtractedUrl(
        String url,
        String raw,
        UrlSource source,
        String partPath,
        String host,
        String anchorText,
        List<String> wrappers,
        boolean obfuscated,
        boolean schemeAdded) {

    public ExtractedUrl {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(source, "source");
        partPath = partPath == null ? "" : partPath;
        host = host == null ? "" : host;
        anchorText = anchorText == null ? "" : anchorText;
        wrappers = List.copyOf(wrappers);
    }

    /** True when a link-protection wrapper was removed. */
    public boolean wasWrapped() {
        return !wrappers.isEmpty();
    }
}
