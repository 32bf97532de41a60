/** Idempotent requests: remembering what a client's retried request already did. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.idempotency;
