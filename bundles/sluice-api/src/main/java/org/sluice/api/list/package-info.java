/** Lists of indicators and users (block lists, VIP lists) that responses and integrations maintain. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.api.list;
