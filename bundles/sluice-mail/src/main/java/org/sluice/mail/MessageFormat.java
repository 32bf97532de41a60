package org.sluice.mail;

/** The container format a {@link ParsedMessage} was read from. */
public enum MessageFormat {
    /** Internet message format (RFC 5322) with MIME, as in a {@code .eml} file. */
    MIME,
    /** Outlook {@code .msg} (Compound File Binary with MAPI properties). */
    OUTLOOK_MSG,
    /** Transport Neutral Encapsulation Format ({@code winmail.dat}, {@code application/ms-tnef}). */
    TNEF
}
