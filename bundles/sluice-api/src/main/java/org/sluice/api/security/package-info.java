/** Who acts: roles and actors. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.security;
