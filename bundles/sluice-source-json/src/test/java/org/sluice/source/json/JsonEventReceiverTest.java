package org.sluice.source.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sluice.api.error.ValidationException;
import org.sluice.api.incident.Activity;
import org.sluice.api.incident.Alert;
import org.sluice.api.incident.AlertReceipt;
import org.sluice.api.incident.Comment;
import org.sluice.api.incident.Incident;
import org.sluice.api.incident.IncidentQuery;
import org.sluice.api.incident.IncidentService;
import org.sluice.api.incident.NewAlert;
import org.sluice.api.incident.Page;
import org.sluice.api.security.Actor;
import org.sluice.api.source.SourceHealth;

class JsonEventReceiverTest {

    private static final String ID = "0123456789abcdefGHIJ";

    private final List<NewAlert> stored = new ArrayList<>();

    @Test
    void storesAnEventForTheSourceWithThatIdAndRecordsWhenItArrived() {
        JsonEventReceiver receiver = new JsonEventReceiver(new RecordingIncidents());
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
        JsonEventReceiver receiver = new JsonEventReceiver(new RecordingIncidents());
        JsonEventSource weak = new JsonEventSource(config("weak", "short"));
        receiver.addSource(weak);

        assertTrue(receiver.receive("short", Map.of(), "").isEmpty());
        assertTrue(receiver.receive(ID, Map.of(), "").isEmpty());
        assertEquals(SourceHealth.Status.OFFLINE_CONFIGURATION, weak.health().status());
        assertTrue(stored.isEmpty());
    }

    @Test
    void anInvalidEventIsRejectedBeforeAnythingIsStored() {
        JsonEventReceiver receiver = new JsonEventReceiver(new RecordingIncidents());
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

    /** Stores alerts in a list. */
    private final class RecordingIncidents implements IncidentService {
        @Override
        public AlertReceipt submitAlert(NewAlert alert, Actor actor) {
            stored.add(alert);
            return new AlertReceipt(stored.size(), 1, stored.size() == 1);
        }

        @Override
        public Page<Incident> find(IncidentQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Incident> get(long incidentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Alert> alerts(long incidentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Alert> alert(long alertId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Comment> comments(long incidentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Activity> activity(long incidentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Comment addComment(long incidentId, String text, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Incident close(long incidentId, String summary, String detail, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Incident updateDescription(long incidentId, String text, boolean append, Actor actor) {
            throw new UnsupportedOperationException();
        }
    }
}
