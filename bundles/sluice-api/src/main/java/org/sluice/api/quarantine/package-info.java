/**
 * Quarantine and undo of the copies of an incident's messages (SPEC R1, R3, R5, R6): the core's service for manual
 * responses and results, and the hook through which directory plugins expand recipients.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.sluice.api.quarantine;
