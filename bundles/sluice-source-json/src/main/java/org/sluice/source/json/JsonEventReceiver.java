package org.sluice.source.json;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.security.Actor;
import org.sluice.api.source.EventReceiver;

/**
 * Receives the events the core's {@code /threat/json_event/events/{source_id}} endpoint hands over: finds the
 * configured source with that id, validates and maps the event ({@link JsonEvents}) and stores it as an alert. The
 * id is looked for before the body is validated, so callers without a valid id learn nothing about the format.
 *
 * <p>Thread-safe: sources are tracked in a copy-on-write list, and each call stands alone.
 */
@Component(service = EventReceiver.class, property = EventReceiver.TYPE_PROPERTY + "=" + JsonEventSource.TYPE)
public class JsonEventReceiver implements EventReceiver {

    private final Logger logger = LoggerFactory.getLogger(JsonEventReceiver.class);

    private final IncidentService incidents;
    private final List<JsonEventSource> sources = new CopyOnWriteArrayList<>();

    @Activate
    public JsonEventReceiver(@Reference IncidentService incidents) {
        this.incidents = incidents;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(JsonEventSource source) {
        sources.add(source);
    }

    void removeSource(JsonEventSource source) {
        sources.remove(source);
    }

    @Override
    public String type() {
        return JsonEventSource.TYPE;
    }

    @Override
    public Optional<AlertReceipt> receive(String sourceId, Map<String, Object> event, String origin) {
        if (sourceId == null) {
            return Optional.empty();
        }
        byte[] candidate = JsonEventSource.digest(sourceId);
        JsonEventSource source = null;
        for (JsonEventSource each : sources) {
            if (each.matches(candidate)) {
                source = each;
            }
        }
        if (source == null) {
            return Optional.empty();
        }
        NewAlert alert = JsonEvents.toAlert(event, source.name());
        AlertReceipt receipt =
                incidents.submitAlert(alert, new Actor(Actor.Kind.SYSTEM, "json:" + source.name(), origin));
        source.received();
        logger.debug(
                "JSON event source '{}' stored alert {} in incident {}",
                source.name(),
                receipt.alertId(),
                receipt.incidentId());
        return Optional.of(receipt);
    }
}
