/** Email as data: the raw-mail store and the identity of messages. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.mail;
