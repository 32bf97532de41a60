/** The server about itself: version, database, uptime. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.system;
