/** Notifications: plugins that deliver messages and template sets that word them. */
@org.osgi.annotation.versioning.Version("0.3.0")
package org.sluice.api.notify;
