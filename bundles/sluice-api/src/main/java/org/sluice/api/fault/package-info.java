/** Named crash points that crash tests arm to stop the server at an exact step before they kill it. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.fault;
