package org.sluice.api.source;

import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;
import org.sluice.api.incident.AlertReceipt;

/**
 * A plugin that takes events pushed to one of the core's HTTP endpoints, such as {@code POST
 * /threat/json_event/events/{source_id}}. The core owns the endpoint, reads and parses the request, and hands each
 * event to the receiver registered with the endpoint's type name ({@link #type()}, also the service property {@value
 * #TYPE_PROPERTY}); when none is registered, the core answers 503 and stores nothing.
 *
 * <p>Threading: {@link #receive} is called concurrently from HTTP request threads and may block on the database (it
 * normally ends in {@link org.sluice.api.incident.IncidentService#submitAlert}). It must not hold on to the event map
 * after it returns, except as the data of the alert it stores.
 *
 * <p>The source id is the only credential of such an endpoint: receivers compare it in constant time and never log
 * it, store it in an alert, or put it in an exception message.
 */
@ConsumerType
public interface EventReceiver {

    /** The service property carrying the type name. */
    String TYPE_PROPERTY = "sluice.receiver.type";

    /** The stable type name of the endpoint this receiver serves ({@code json}). */
    String type();

    /**
     * Validates one event and stores it as an alert, or rejects it before anything is stored.
     *
     * @param sourceId the source id from the URL, untrusted and secret
     * @param event the parsed body, a JSON object (values are maps, lists, strings, numbers, booleans and nulls)
     * @param origin the client's address, for activity and audit
     * @return the receipt of the stored alert, or empty when no source of this type has that id (nothing stored)
     * @throws org.sluice.api.error.ValidationException when the event is malformed; it names the field at fault and
     *     nothing is stored
     */
    Optional<AlertReceipt> receive(String sourceId, Map<String, Object> event, String origin);
}
