/** Secrets in configuration: the one service other bundles use to encrypt and decrypt them. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.boot;
