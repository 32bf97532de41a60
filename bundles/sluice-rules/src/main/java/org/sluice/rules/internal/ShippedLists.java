package org.sluice.rules.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The named lists shipped with the rules ({@code lists/<name>.txt} in this bundle: one lower-case value per line,
 * {@code #} starts a comment). Rules read them as {@code lists.<name>}; the caller's facts may replace any of them.
 */
final class ShippedLists {

    static final List<String> NAMES = List.of(
            "freemail",
            "url_shorteners",
            "free_hosting",
            "brand_names",
            "executable_extensions",
            "macro_extensions",
            "archive_extensions",
            "executable_types");

    private ShippedLists() {}

    static Map<String, List<String>> load() {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (String name : NAMES) {
            try (InputStream in = ShippedLists.class.getResourceAsStream("/lists/" + name + ".txt")) {
                if (in == null) {
                    throw new IllegalStateException("the rules bundle lacks lists/" + name + ".txt");
                }
                lists.put(name, read(in));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read lists/" + name + ".txt: " + e.getMessage(), e);
            }
        }
        return lists;
    }

    private static List<String> read(InputStream in) throws IOException {
        List<String> values = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            int hash = line.indexOf('#');
            String value = (hash >= 0 ? line.substring(0, hash) : line).strip().toLowerCase(Locale.ROOT);
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return List.copyOf(values);
    }
}
