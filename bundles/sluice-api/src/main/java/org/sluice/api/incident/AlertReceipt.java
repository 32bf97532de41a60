package org.sluice.api.incident;

/**
 * What happened to a submitted alert.
 *
 * @param alertId the stored alert
 * @param incidentId the incident it belongs to
 * @param incidentCreated whether the alert opened that incident (otherwise it joined an open one)
 */
public record AlertReceipt(long alertId, long incidentId, boolean incidentCreated) {}
