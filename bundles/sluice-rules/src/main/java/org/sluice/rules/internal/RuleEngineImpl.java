package org.sluice.rules.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.rules.RuleEngine;
import org.sluice.rules.Ruleset;
import org.sluice.rules.RulesetException;
import org.sluice.rules.Verdict;

/**
 * The rule engine service. Rulesets come from two places: bundles whose manifest has a {@code Sluice-Rules} header
 * naming a folder of {@code .yaml} files (this bundle ships the default ruleset that way), and the rules folder
 * ({@code etc/sluice/rules} unless configured), re-scanned every few seconds so that a ruleset can be replaced while
 * the server runs. A file in the folder replaces a bundled ruleset of the same name. A file that fails its checks is
 * refused, its problems logged once, and whatever it would have replaced stays active. A changed file that keeps its
 * version is refused too: decisions record the version, so two contents must never share one.
 */
@Component(service = RuleEngine.class, configurationPid = "org.sluice.rules")
@Designate(ocd = RuleEngineImpl.Config.class)
public class RuleEngineImpl implements RuleEngine {

    /** The manifest header of bundles that ship rulesets: a folder inside the bundle. */
    public static final String HEADER = "Sluice-Rules";

    @ObjectClassDefinition(name = "Sluice rules", description = "Which ruleset decides, and where rule files live")
    public @interface Config {
        @AttributeDefinition(description = "Name of the active ruleset")
        String active() default "default";

        @AttributeDefinition(description = "Folder of ruleset files; empty means etc/sluice/rules")
        String folder() default "";

        @AttributeDefinition(description = "Seconds between scans of the folder")
        int scan_seconds() default 5;
    }

    private final Logger logger = LoggerFactory.getLogger(RuleEngineImpl.class);

    private final RuleLanguage language = new RuleLanguage();
    private final RulesetParser parser = new RulesetParser(language);
    private final Evaluator evaluator = new Evaluator(language, ShippedLists.load());

    /** Bundled rulesets by bundle id, then by name. */
    private final Map<Long, Map<String, Ruleset>> bundled = new ConcurrentHashMap<>();
    /** Rulesets from the folder by file. */
    private final Map<Path, Ruleset> fromFolder = new ConcurrentHashMap<>();
    /** Refused files by origin, with the digest refused, so that each problem is logged once. */
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();

    private volatile String activeName = "default";
    private Path folder;
    private ScheduledExecutorService scanner;
    private BundleTracker<Bundle> tracker;

    private record Refusal(long size, long modified, RulesetException problem) {}

    /** For tests: an engine over one folder, scanned on demand through {@link #scan()}. */
    static RuleEngineImpl forFolder(Path folder, String active) {
        RuleEngineImpl engine = new RuleEngineImpl();
        engine.folder = folder;
        engine.activeName = active;
        engine.loadOwnRulesets();
        engine.scan();
        return engine;
    }

    @Activate
    void activate(BundleContext context, Config config) {
        activeName = config.active().strip();
        folder = config.folder().isBlank()
                ? Path.of(System.getProperty("karaf.etc", "etc"), "sluice", "rules")
                : Path.of(config.folder().strip());
        tracker = new BundleTracker<>(context, Bundle.ACTIVE | Bundle.STARTING, null) {
            @Override
            public Bundle addingBundle(Bundle bundle, BundleEvent event) {
                if (bundle.getHeaders().get(HEADER) == null) {
                    return null;
                }
                loadBundle(bundle);
                return bundle;
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Bundle object) {
                if (bundled.remove(bundle.getBundleId()) != null) {
                    logger.info("Rulesets of bundle {} withdrawn", bundle.getSymbolicName());
                }
            }
        };
        tracker.open();
        scan();
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sluice-rules-scanner");
            thread.setDaemon(true);
            return thread;
        });
        int seconds = Math.max(1, config.scan_seconds());
        scanner.scheduleWithFixedDelay(this::scanSafely, seconds, seconds, TimeUnit.SECONDS);
        Ruleset active = active();
        logger.info(
                "Rules ready: active ruleset {} version {} ({} rules, from {}); folder {}",
                active.name(),
                active.version(),
                active.rules().size(),
                active.origin(),
                folder);
    }

    @Deactivate
    void deactivate() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
        if (tracker != null) {
            tracker.close();
        }
    }

    @Override
    public Verdict evaluate(Map<String, Object> facts) {
        return evaluator.evaluate(active(), facts);
    }

    @Override
    public Verdict evaluate(Ruleset ruleset, Map<String, Object> facts) {
        return evaluator.evaluate(ruleset, facts);
    }

    @Override
    public Ruleset active() {
        String name = activeName;
        for (Ruleset ruleset : fromFolder.values()) {
            if (ruleset.name().equals(name)) {
                return ruleset;
            }
        }
        for (Map<String, Ruleset> rulesets : bundled.values()) {
            Ruleset ruleset = rulesets.get(name);
            if (ruleset != null) {
                return ruleset;
            }
        }
        return new Ruleset(name, "none", "", "nowhere: no ruleset of this name is loaded", List.of());
    }

    @Override
    public List<Ruleset> loaded() {
        List<Ruleset> all = new ArrayList<>(fromFolder.values());
        bundled.values().forEach(rulesets -> all.addAll(rulesets.values()));
        return all;
    }

    @Override
    public Map<String, RulesetException> refused() {
        Map<String, RulesetException> result = new LinkedHashMap<>();
        refusals.forEach((origin, refusal) -> result.put(origin, refusal.problem()));
        return result;
    }

    @Override
    public Ruleset parse(String origin, InputStream yaml) throws RulesetException {
        return parser.parse(origin, yaml);
    }

    /** Loads the rulesets packed into this class's own bundle, when running outside OSGi (tests). */
    private void loadOwnRulesets() {
        try (InputStream in = RuleEngineImpl.class.getResourceAsStream("/rules/default.yaml")) {
            Ruleset ruleset = parser.parse("bundle:sluice-rules/rules/default.yaml", in);
            bundled.put(-1L, Map.of(ruleset.name(), ruleset));
        } catch (IOException | RulesetException e) {
            throw new IllegalStateException("the shipped default ruleset does not load: " + e.getMessage(), e);
        }
    }

    private void loadBundle(Bundle bundle) {
        String path = bundle.getHeaders().get(HEADER).strip();
        Enumeration<URL> entries = bundle.findEntries(path, "*.yaml", false);
        Map<String, Ruleset> rulesets = new HashMap<>();
        for (URL entry : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
            String origin = "bundle:" + bundle.getSymbolicName() + entry.getPath();
            try (InputStream in = entry.openStream()) {
                Ruleset ruleset = parser.parse(origin, in);
                rulesets.put(ruleset.name(), ruleset);
                logger.info("Ruleset {} version {} loaded from {}", ruleset.name(), ruleset.version(), origin);
            } catch (RulesetException e) {
                logger.error("Ruleset refused: {}", e.getMessage());
                refusals.put(origin, new Refusal(-1, -1, e));
            } catch (IOException e) {
                logger.error("Ruleset {} cannot be read: {}", origin, e.getMessage());
            }
        }
        bundled.put(bundle.getBundleId(), rulesets);
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException e) {
            logger.error("Scanning the rules folder {} failed: {}", folder, e.getMessage(), e);
        }
    }

    /** Reads new and changed files of the folder and forgets deleted ones. */
    synchronized void scan() {
        if (!Files.isDirectory(folder)) {
            if (!fromFolder.isEmpty()) {
                logger.info("Rules folder {} is gone; its rulesets are withdrawn", folder);
                fromFolder.clear();
            }
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.{yaml,yml}")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            logger.warn("Rules folder {} cannot be listed: {}", folder, e.getMessage());
            return;
        }
        Collections.sort(files);
        fromFolder.keySet().removeIf(file -> {
            boolean gone = !files.contains(file);
            if (gone) {
                logger.info("Ruleset file {} removed; its ruleset is withdrawn", file);
            }
            return gone;
        });
        refusals.keySet().removeIf(origin -> !origin.startsWith("bundle:") && !files.contains(Path.of(origin)));
        for (Path file : files) {
            read(file);
        }
    }

    private void read(Path file) {
        long size;
        long modified;
        byte[] bytes;
        try {
            size = Files.size(file);
            modified = Files.getLastModifiedTime(file).toMillis();
            Refusal refusal = refusals.get(file.toString());
            if (refusal != null && refusal.size() == size && refusal.modified() == modified) {
                return;
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            logger.warn("Ruleset file {} cannot be read: {}", file, e.getMessage());
            return;
        }
        Ruleset current = fromFolder.get(file);
        Ruleset candidate;
        try {
            candidate = parser.parse(file.toString(), new java.io.ByteArrayInputStream(bytes));
        } catch (RulesetException e) {
            refuse(file, size, modified, e);
            return;
        }
        if (current != null && current.digest().equals(candidate.digest())) {
            return;
        }
        List<RulesetException.Problem> problems = new ArrayList<>();
        if (current != null && current.version().equals(candidate.version())) {
            problems.add(new RulesetException.Problem(
                    0,
                    null,
                    "the content changed but the version is still " + candidate.version()
                            + "; give the new content a new version"));
        }
        for (Map.Entry<Path, Ruleset> other : fromFolder.entrySet()) {
            if (!other.getKey().equals(file) && other.getValue().name().equals(candidate.name())) {
                problems.add(new RulesetException.Problem(
                        0, null, "ruleset " + candidate.name() + " is already loaded from " + other.getKey()));
            }
        }
        if (!problems.isEmpty()) {
            refuse(file, size, modified, new RulesetException(file.toString(), problems));
            return;
        }
        fromFolder.put(file, candidate);
        refusals.remove(file.toString());
        logger.info(
                "Ruleset {} version {} loaded from {} ({} rules){}",
                candidate.name(),
                candidate.version(),
                file,
                candidate.rules().size(),
                current == null ? "" : ", replacing version " + current.version());
    }

    private void refuse(Path file, long size, long modified, RulesetException problem) {
        refusals.put(file.toString(), new Refusal(size, modified, problem));
        logger.error("Ruleset refused, the previous one (if any) stays active: {}", problem.getMessage());
    }
}
