/** CLEAR: the vocabulary of classifying user-reported messages, and the intake that files them. */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.sluice.api.clear;
