package org.sluice.source.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.source.SourceHealth;

class JsonEventReceiverTest {

    private static final String ID = "0123456789abcdefGHIJ";

    private final List<NewAlert> stored = new ArrayList<>();

    @Test
    void storesAnEventForTheSourceWithThatIdAndRecordsWhenItArrived() {
        JsonEventReceiver receiver = new JsonEventReceiver(recordingIncidents());
        JsonEventSource source = new JsonEventSource(config("soar", ID));
        receiver.addSource(new JsonEventSource(config("other", "another-id-of-enough-length")));
        receiver.addSource(source);

        Optional<AlertReceipt> receipt = receiver.receive(ID, Map.of("summary", "hello"), "127.0.0.1");

        assertTrue(receipt.isPresent());
        assertEquals("soar", stored.get(0).sourceInstance());
        assertNotNull(source.health().lastPoll());
        assertEquals(SourceHealth.Status.ONLINE, source.health().status());
    }

    @Test
    void anUnknownIdOrAShortConfiguredIdStoresNothing() {
        JsonEventReceiver receiver = new JsonEventReceiver(recordingIncidents());
        JsonEventSource weak = new JsonEventSource(config("weak", "short"));
        receiver.addSource(weak);

        assertTrue(receiver.receive("short", Map.of(), "").isEmpty());
        assertTrue(receiver.receive(ID, Map.of(), "").isEmpty());
        assertEquals(SourceHealth.Status.OFFLINE_CONFIGURATION, weak.health().status());
        assertTrue(stored.isEmpty());
    }

    @Test
    void anInvalidEventIsRejectedBeforeAnythingIsStored() {
        JsonEventReceiver receiver = new JsonEventReceiver(recordingIncidents());
        receiver.addSource(new JsonEventSource(config("soar", ID)));

        assertThrows(ValidationException.class, () -> receiver.receive(ID, Map.of("target", 1), ""));
        assertTrue(stored.isEmpty());
    }

    private static JsonEventSource.Config config(String name, String id) {
        return new JsonEventSource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return JsonEventSource.Config.class;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String sourceId() {
                return id;
            }
        };
    }

    /** An incident service that stores submitted alerts in a list and supports nothing else. */
    private IncidentService recordingIncidents() {
        return (IncidentService) Proxy.newProxyInstance(
                IncidentService.class.getClassLoader(),
                new Class<?>[] {IncidentService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("submitAlert")) {
                        stored.add((NewAlert) args[0]);
                        return new AlertReceipt(stored.size(), 1, stored.size() == 1);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
