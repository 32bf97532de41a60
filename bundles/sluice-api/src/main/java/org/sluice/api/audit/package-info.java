/** The append-only audit log. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.audit;
