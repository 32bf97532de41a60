/** Mailbox connectors: plugins that find, read, remove and re-insert copies of a message. */
@org.osgi.annotation.versioning.Version("0.3.0")
package org.sluice.api.mailbox;
