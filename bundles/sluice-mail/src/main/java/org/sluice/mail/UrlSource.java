package org.sluice.mail;

/** Where in a message a URL was found. */
public enum UrlSource {
    /** In plain text (a text body, or the text of an RTF body). */
    TEXT,
    /** The {@code href} of a link ({@code a}, {@code area}) in HTML. */
    HTML_HREF,
    /** A {@code src}, {@code background} or {@code poster} attribute in HTML (images, frames, scripts). */
    HTML_SRC,
    /** The {@code action} of an HTML form. */
    HTML_FORM,
    /** Any other URL-bearing HTML construct (meta refresh, {@code link}, CSS {@code url(...)}). */
    HTML_OTHER,
    /** The visible text of an HTML body. */
    HTML_TEXT
}
