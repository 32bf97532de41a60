/** Responses: the persistent queue, its back-off schedule, and the response types plugins provide. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.response;
