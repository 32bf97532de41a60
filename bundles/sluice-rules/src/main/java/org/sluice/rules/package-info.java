/**
 * CLEAR rulesets: rules that decide the disposition of a reported message from facts about it, and the engine that
 * evaluates them. See {@link org.sluice.rules.Facts} for what a condition can read.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.sluice.rules;
