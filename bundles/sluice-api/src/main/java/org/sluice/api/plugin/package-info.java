/** What plugins are installed and running, as the core sees them. */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.sluice.api.plugin;
