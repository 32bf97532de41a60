/** CLEAR: the vocabulary of classifying user-reported messages. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.clear;
