package org.sluice.core.internal.plugin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.notify.Notifier;
import org.sluice.api.notify.TemplateSet;
import org.sluice.api.plugin.PluginRegistry;
import org.sluice.api.response.ResponseType;
import org.sluice.api.source.AlertSource;
import org.sluice.api.source.EventReceiver;
import org.sluice.api.source.SourceHealth;

/**
 * Tracks plugin services as they come and go (multiple, dynamic, greedy references). Plugin methods are called only
 * through {@link IsolatedCalls}: a plugin whose {@code type()} or {@code health()} throws or hangs is listed with that
 * failure instead of breaking the listing. Identity (type names) is read once, when the service arrives.
 */
@Component(service = PluginRegistry.class)
public class PluginRegistryImpl implements PluginRegistry {

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private final Logger logger = LoggerFactory.getLogger(PluginRegistryImpl.class);

    private final IsolatedCalls calls = new IsolatedCalls("sluice-plugin-call-");
    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();

    /** One tracked service with the names read when it arrived. */
    private record Entry(Kind kind, Object service, String type, String instance, String bundle) {}

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(AlertSource source, ServiceReference<AlertSource> reference) {
        add(Kind.ALERT_SOURCE, source, reference, AlertSource::type, AlertSource::instance);
    }

    void removeSource(AlertSource source) {
        remove(source);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEventReceiver(EventReceiver receiver, ServiceReference<EventReceiver> reference) {
        add(Kind.EVENT_RECEIVER, receiver, reference, EventReceiver::type, r -> null);
    }

    void removeEventReceiver(EventReceiver receiver) {
        remove(receiver);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addResponseType(ResponseType type, ServiceReference<ResponseType> reference) {
        add(Kind.RESPONSE_TYPE, type, reference, ResponseType::type, t -> null);
    }

    void removeResponseType(ResponseType type) {
        remove(type);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnector(MailboxConnector connector, ServiceReference<MailboxConnector> reference) {
        add(Kind.MAILBOX_CONNECTOR, connector, reference, MailboxConnector::type, MailboxConnector::instanceId);
    }

    void removeConnector(MailboxConnector connector) {
        remove(connector);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNotifier(Notifier notifier, ServiceReference<Notifier> reference) {
        add(Kind.NOTIFIER, notifier, reference, Notifier::type, n -> null);
    }

    void removeNotifier(Notifier notifier) {
        remove(notifier);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTemplateSet(TemplateSet set, ServiceReference<TemplateSet> reference) {
        add(Kind.TEMPLATE_SET, set, reference, TemplateSet::id, t -> null);
    }

    void removeTemplateSet(TemplateSet set) {
        remove(set);
    }

    private <S> void add(
            Kind kind,
            S service,
            ServiceReference<S> reference,
            Function<S, String> type,
            Function<S, String> instance) {
        IsolatedCalls.Outcome<String> name = calls.call(() -> type.apply(service), CALL_TIMEOUT);
        IsolatedCalls.Outcome<String> instanceId = calls.call(
                () -> {
                    String id = instance.apply(service);
                    return id == null ? "" : id;
                },
                CALL_TIMEOUT);
        Bundle bundle = reference.getBundle();
        String origin = bundle == null ? "" : bundle.getSymbolicName() + " " + bundle.getVersion();
        if (!name.ok()) {
            logger.warn(
                    "A {} from '{}' cannot name its type ({}); it is listed but not used",
                    kind,
                    origin,
                    name.failure());
        }
        String instanceName = instanceId.ok() && !instanceId.value().isEmpty() ? instanceId.value() : null;
        entries.put(service, new Entry(kind, service, name.ok() ? name.value() : null, instanceName, origin));
        logger.info("Plugin {} '{}' from '{}' is available", kind, name.ok() ? name.value() : "?", origin);
    }

    private void remove(Object service) {
        Entry entry = entries.remove(service);
        if (entry != null) {
            logger.info("Plugin {} '{}' is gone", entry.kind(), entry.type());
        }
    }

    @Override
    public List<PluginInfo> plugins() {
        List<PluginInfo> out = new ArrayList<>();
        for (Entry entry : entries.values()) {
            SourceHealth health = null;
            if (entry.kind() == Kind.ALERT_SOURCE) {
                AlertSource source = (AlertSource) entry.service();
                IsolatedCalls.Outcome<SourceHealth> outcome = calls.call(source::health, CALL_TIMEOUT);
                health = outcome.ok()
                        ? outcome.value()
                        : new SourceHealth(SourceHealth.Status.UNKNOWN, "health check " + outcome.failure(), null);
            }
            String type = entry.type() == null ? "?" : entry.type();
            out.add(new PluginInfo(entry.kind(), type, entry.instance(), entry.bundle(), health));
        }
        out.sort(Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::type));
        return out;
    }

    @Override
    public Optional<AlertSource> source(String type) {
        return find(Kind.ALERT_SOURCE, type, null, AlertSource.class);
    }

    @Override
    public Optional<EventReceiver> eventReceiver(String type) {
        return find(Kind.EVENT_RECEIVER, type, null, EventReceiver.class);
    }

    @Override
    public Optional<MailboxConnector> mailboxConnector(String type, String instanceId) {
        return find(Kind.MAILBOX_CONNECTOR, type, instanceId, MailboxConnector.class);
    }

    @Override
    public Optional<Notifier> notifier(String type) {
        return find(Kind.NOTIFIER, type, null, Notifier.class);
    }

    @Override
    public Optional<TemplateSet> templateSet(String id) {
        return find(Kind.TEMPLATE_SET, id, null, TemplateSet.class);
    }

    private <S> Optional<S> find(Kind kind, String type, String instance, Class<S> api) {
        return entries.values().stream()
                .filter(e -> e.kind() == kind && type.equals(e.type()))
                .filter(e -> instance == null || instance.equals(e.instance()))
                .map(e -> api.cast(e.service()))
                .findFirst();
    }

    @Deactivate
    void deactivate() {
        calls.close();
    }
}
