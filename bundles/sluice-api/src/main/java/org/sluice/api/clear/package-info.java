/**
 * CLEAR: the vocabulary of classifying user-reported messages, the intake that files them, and read-only analyses of
 * stored reports.
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package org.sluice.api.clear;
