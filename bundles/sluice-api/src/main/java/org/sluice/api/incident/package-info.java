/** Incidents and alerts: the data the core owns, and the service that changes it. */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.sluice.api.incident;
