package org.sluice.templates.defaults;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.sluice.api.notify.TemplateSet;

/**
 * The template set {@code default}: every notification Sluice sends, worded plainly, as plain text and HTML. The
 * texts are resources of this bundle ({@code templates/<kind>.subject}, {@code .txt}, {@code .html}); admins change
 * them by copying or editing through the API, which stores their versions in the database.
 */
@Component(service = TemplateSet.class, property = "sluice.template.set=default")
public class DefaultTemplateSet implements TemplateSet {

    /** The kinds this set provides. */
    static final List<String> KINDS = List.of(
            "quarantine",
            "undo-quarantine",
            "abuse-feedback-malicious",
            "abuse-feedback-suspicious",
            "abuse-feedback-bulk",
            "abuse-feedback-low-risk",
            "abuse-feedback-unknown",
            "soc-new-incident",
            "soc-new-alert",
            "soc-state-change",
            "soc-digest");

    private final Map<String, Template> templates;

    public DefaultTemplateSet() {
        Map<String, Template> loaded = new LinkedHashMap<>();
        for (String kind : KINDS) {
            loaded.put(kind, new Template(read(kind + ".subject").strip(), read(kind + ".txt"), read(kind + ".html")));
        }
        this.templates = Map.copyOf(loaded);
    }

    @Override
    public String id() {
        return "default";
    }

    @Override
    public Map<String, Template> templates() {
        return templates;
    }

    private static String read(String name) {
        try (InputStream in = DefaultTemplateSet.class.getResourceAsStream("/templates/" + name)) {
            if (in == null) {
                throw new IllegalStateException("template resource " + name + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
