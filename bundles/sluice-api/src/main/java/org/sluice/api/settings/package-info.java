/** Global settings that analysts and admins change at run time, kept in the database. */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.sluice.api.settings;
