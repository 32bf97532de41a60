package org.sluice.api.plugin;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.notify.Notifier;
import org.sluice.api.notify.TemplateSet;
import org.sluice.api.source.AlertSource;
import org.sluice.api.source.EventReceiver;
import org.sluice.api.source.SourceHealth;

/**
 * The plugin services the core tracks: alert sources, event receivers, response types, mailbox connectors, notifiers
 * and template sets, each by its stable type name. Plugins come and go at run time; every method answers for this
 * moment.
 */
@ProviderType
public interface PluginRegistry {

    /** Every registered plugin service, with its bundle and, for sources, its latest health. */
    List<PluginInfo> plugins();

    Optional<AlertSource> source(String type);

    /** The receiver of pushed events of this type ({@code json}), if one is installed and running now. */
    Optional<EventReceiver> eventReceiver(String type);

    Optional<MailboxConnector> mailboxConnector(String type, String instanceId);

    Optional<Notifier> notifier(String type);

    Optional<TemplateSet> templateSet(String id);

    /** The kinds of plugins. */
    enum Kind {
        ALERT_SOURCE,
        RESPONSE_TYPE,
        MAILBOX_CONNECTOR,
        NOTIFIER,
        TEMPLATE_SET,
        EVENT_RECEIVER
    }

    /**
     * One plugin service.
     *
     * @param type its type name ({@code tap}, {@code imap}, {@code smtp})
     * @param instance the configured instance's name for multi-instance plugins, or {@code null}
     * @param bundle the providing bundle's symbolic name and version
     * @param health the latest health for alert sources, or {@code null} for other kinds
     */
    record PluginInfo(Kind kind, String type, String instance, String bundle, SourceHealth health) {}
}
