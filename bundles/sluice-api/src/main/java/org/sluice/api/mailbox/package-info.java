/** Mailbox connectors: plugins that find, read, remove and re-insert copies of a message. */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.sluice.api.mailbox;
