/**
 * Mailbox connectors: plugins that find, read, remove and re-insert copies of a message, and optionally list a folder
 * and move copies ({@link org.sluice.api.mailbox.MailboxFolders}, since 0.3.0).
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package org.sluice.api.mailbox;
