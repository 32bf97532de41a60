/** Domain exceptions that every face (REST, shell, console) maps the same way. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.error;
