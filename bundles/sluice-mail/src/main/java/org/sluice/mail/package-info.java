/**
 * The message model of Sluice's mail analysis and the parser that produces it.
 *
 * <p>{@link org.sluice.mail.MailParser} turns the raw bytes of an e-mail (MIME, Outlook {@code .msg} or a TNEF
 * {@code winmail.dat} stream) into a {@link org.sluice.mail.ParsedMessage}: an immutable tree of records that rules,
 * the incident core and the REST API read. Every value taken from a message is attacker-made data; the model decodes
 * it but never interprets it, and consumers must escape it wherever they display or embed it.
 */
@Version("1.0.0")
package org.sluice.mail;

import org.osgi.annotation.versioning.Version;
