package org.sluice.mail.internal;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.sluice.mail.MailParser;
import org.sluice.mail.ParsedMessage;

/**
 * Writes the model as indented JSON, for debugging: every record component by name, lists and maps as JSON arrays and
 * objects, instants and enums as strings. Long texts are cut to keep the output readable. The {@link #main} method
 * prints the model of each file named on the command line:
 *
 * <pre>java -cp target/classes:$(dependency classpath) org.sluice.mail.internal.ModelJson message.eml</pre>
 *
 * (the README shows how to get the dependency classpath).
 */
public final class ModelJson {

    private static final int MAX_TEXT = 2000;

    private ModelJson() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ModelJson FILE...  (prints the parsed model of each .eml, .msg or TNEF file)");
            System.exit(2);
        }
        MailParser parser = new MailParser();
        for (String arg : args) {
            ParsedMessage message = parser.parse(Files.readAllBytes(Path.of(arg)));
            System.out.println(toJson(message));
        }
    }

    /** The JSON form of a model object (a record, collection, map or plain value). */
    public static String toJson(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out, int indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Record record) {
            out.append('{');
            RecordComponent[] components = record.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                newline(out, indent + 1);
                string(components[i].getName(), out);
                out.append(": ");
                try {
                    write(components[i].getAccessor().invoke(record), out, indent + 1);
                } catch (ReflectiveOperationException e) {
                    out.append("null");
                }
                if (i < components.length - 1) {
                    out.append(',');
                }
            }
            newline(out, indent);
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            int i = 0;
            for (Object item : list) {
                newline(out, indent + 1);
                write(item, out, indent + 1);
                if (++i < list.size()) {
                    out.append(',');
                }
            }
            newline(out, indent);
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                string(String.valueOf(e.getKey()), out);
                out.append(": ");
                write(e.getValue(), out, indent + 1);
                if (++i < map.size()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            String s = value.toString();
            string(s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "...(" + s.length() + " chars)" : s, out);
        }
    }

    private static void newline(StringBuilder out, int indent) {
        out.append('\n').append("  ".repeat(indent));
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
