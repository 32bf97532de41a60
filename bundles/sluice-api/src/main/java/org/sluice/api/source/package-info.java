/** Alert sources: plugins that feed alerts into the core. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.source;
