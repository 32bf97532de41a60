/** Alert sources: plugins that feed alerts into the core, by polling or by receiving pushed events. */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.sluice.api.source;
