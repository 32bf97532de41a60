package org.sluice.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sluice.api.mailbox.CopyQuery;
import org.sluice.api.mailbox.MailboxConnector;
import org.sluice.api.mailbox.MailboxCopy;
import org.sluice.boot.SecretBox;

/**
 * The Microsoft Graph connector as an admin installs it: its feature goes in next to a running core, which keeps its
 * bundle; a factory configuration with an encrypted secret becomes a {@link MailboxConnector} service that finds and
 * reads a message in a fake Graph service; the secret stays out of the service properties.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GraphConnectorIT extends SluiceTestSupport {

    private static final String FEATURE = "sluice-connector-graph";
    private static final String PID = "org.sluice.connector.graph";

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private ConfigurationAdmin configs;

    @Inject
    private SecretBox box;

    @Configuration
    public Option[] config() {
        String[] urls = FakeGraphForContainer.start();
        List<Option> options = new ArrayList<>(List.of(distribution()));
        options.add(systemProperty("sluice.itest.graph.base").value(urls[0]));
        options.add(systemProperty("sluice.itest.graph.token").value(urls[1]));
        return options.toArray(new Option[0]);
    }

    @Test
    public void installedFeatureRunsAConfiguredInstanceThatFindsAndReadsAMessageInTheFake() throws Exception {
        Bundle core = bundle("sluice-core");
        long coreId = core.getBundleId();
        long coreModified = core.getLastModified();

        features.installFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
        await(
                Duration.ofSeconds(60),
                () -> assertEquals(Bundle.ACTIVE, bundle(FEATURE).getState()));
        org.osgi.service.cm.Configuration configuration = configs.getFactoryConfiguration(PID, "itest", "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("instanceId", "itest");
        properties.put("tenantId", FakeGraphForContainer.TENANT);
        properties.put("clientId", FakeGraphForContainer.CLIENT);
        properties.put(".clientSecret", box.encrypt(FakeGraphForContainer.SECRET));
        properties.put("graphBaseUrl", System.getProperty("sluice.itest.graph.base"));
        properties.put("tokenEndpoint", System.getProperty("sluice.itest.graph.token"));
        configuration.update(properties);

        ServiceReference<MailboxConnector> reference = awaitConnector("itest");
        MailboxConnector connector = context.getService(reference);
        List<MailboxCopy> copies = connector.findCopies(
                FakeGraphForContainer.MAILBOX,
                new CopyQuery(FakeGraphForContainer.MESSAGE_ID, null, null, null, null, 10));
        byte[] raw;
        try (InputStream in = connector.openRaw(copies.get(0))) {
            raw = in.readAllBytes();
        }

        assertEquals("graph", reference.getProperty(MailboxConnector.TYPE_PROPERTY));
        assertEquals("graph", connector.type());
        assertEquals("itest", connector.instanceId());
        assertEquals(1, copies.size());
        assertEquals("<" + FakeGraphForContainer.MESSAGE_ID + ">", copies.get(0).internetMessageId());
        assertArrayEquals(FakeGraphForContainer.MIME, raw);
        assertNull(reference.getProperty(".clientSecret"));
        for (String key : reference.getPropertyKeys()) {
            assertFalse(key, String.valueOf(reference.getProperty(key)).contains(FakeGraphForContainer.SECRET));
        }
        assertEquals(coreId, bundle("sluice-core").getBundleId());
        assertEquals(coreModified, bundle("sluice-core").getLastModified());

        context.ungetService(reference);
        configuration.delete();
        features.uninstallFeature(FEATURE, EnumSet.noneOf(FeaturesService.Option.class));
        await(Duration.ofSeconds(60), () -> assertNull(findBundle(FEATURE)));
        assertEquals(coreId, bundle("sluice-core").getBundleId());
        assertEquals(Bundle.ACTIVE, bundle("sluice-core").getState());
    }

    private ServiceReference<MailboxConnector> awaitConnector(String instance) throws Exception {
        List<ServiceReference<MailboxConnector>> found = new ArrayList<>();
        await(Duration.ofSeconds(60), () -> {
            Collection<ServiceReference<MailboxConnector>> references = context.getServiceReferences(
                    MailboxConnector.class,
                    "(&(" + MailboxConnector.TYPE_PROPERTY + "=graph)(instanceId=" + instance + "))");
            assertEquals(1, references.size());
            found.add(references.iterator().next());
        });
        return found.get(found.size() - 1);
    }

    private Bundle bundle(String symbolicName) {
        Bundle bundle = findBundle(symbolicName);
        assertNotNull("no bundle " + symbolicName, bundle);
        return bundle;
    }

    private Bundle findBundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }
}
