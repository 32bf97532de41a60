package org.sluice.itests.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately small IMAP client for tests, independent of the connector under test: log in, APPEND, list folders,
 * and fetch every message of a folder with its raw bytes. Values are sent as literals, so no quoting is involved.
 */
public final class MiniImap implements AutoCloseable {

    private static final Pattern LIST = Pattern.compile("\\* LIST \\([^)]*\\) (?:\"[^\"]*\"|NIL) (.*)");
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    private static final Pattern UID = Pattern.compile("UID (\\d+)");
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) (\\d+)]");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    MiniImap(int port, String user, String password) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        line();
        command("LOGIN " + literal(user) + " " + literal(password));
    }

    private static String literal(String value) {
        return "{" + value.getBytes(StandardCharsets.UTF_8).length + "+}\r\n" + value;
    }

    /** One response line, with the bytes of any literals it carries inlined. */
    private byte[] line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b == '\n') {
                byte[] raw = buffer.toByteArray();
                String text = new String(raw, StandardCharsets.ISO_8859_1).stripTrailing();
                Matcher literal = LITERAL.matcher(text);
                if (literal.find()) {
                    buffer.write('\n');
                    buffer.write(in.readNBytes(Integer.parseInt(literal.group(1))));
                    continue;
                }
                return raw;
            }
            buffer.write(b);
        }
    }

    private List<byte[]> command(String command) throws IOException {
        String t = "t" + (++tag);
        out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        List<byte[]> untagged = new ArrayList<>();
        while (true) {
            byte[] response = line();
            String text = new String(response, StandardCharsets.ISO_8859_1);
            if (text.startsWith(t + " ")) {
                if (!text.startsWith(t + " OK")) {
                    throw new IOException("IMAP " + command.split(" ")[0] + " failed: " + text.strip());
                }
                untagged.add(response);
                return untagged;
            }
            untagged.add(response);
        }
    }

    /** Appends raw bytes to a folder; returns the new UID. */
    public long append(String folder, byte[] message) throws IOException {
        String t = "t" + (++tag);
        out.write(
                (t + " APPEND " + literal(folder) + " {" + message.length + "+}\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(message);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            String text = new String(line(), StandardCharsets.ISO_8859_1);
            if (text.startsWith(t + " ")) {
                Matcher m = APPENDUID.matcher(text);
                if (!text.startsWith(t + " OK") || !m.find()) {
                    throw new IOException("APPEND failed: " + text.strip());
                }
                return Long.parseLong(m.group(2));
            }
        }
    }

    /** The names of every folder. */
    public List<String> folders() throws IOException {
        List<String> out = new ArrayList<>();
        for (byte[] response : command("LIST \"\" \"*\"")) {
            String text = new String(response, StandardCharsets.UTF_8).strip();
            Matcher list = LIST.matcher(text);
            if (list.matches()) {
                String name = list.group(1);
                out.add(name.startsWith("\"") ? name.substring(1, name.length() - 1) : name);
            }
        }
        return out;
    }

    /** Every message of a folder by UID, with its raw bytes. */
    public Map<Long, byte[]> messages(String folder) throws IOException {
        List<byte[]> select = command("SELECT " + literal(folder));
        Map<Long, byte[]> out = new LinkedHashMap<>();
        boolean empty = select.stream()
                .map(b -> new String(b, StandardCharsets.ISO_8859_1))
                .anyMatch(s -> s.startsWith("* 0 EXISTS"));
        if (empty) {
            return out;
        }
        for (byte[] response : command("UID FETCH 1:* (UID BODY.PEEK[])")) {
            String text = new String(response, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("* ") || !text.contains(" FETCH ")) {
                continue;
            }
            Matcher uid = UID.matcher(text);
            int open = text.indexOf("BODY[] {");
            if (!uid.find() || open < 0) {
                continue;
            }
            int start = text.indexOf("}\r\n", open) + 3;
            int length = Integer.parseInt(text.substring(open + 8, text.indexOf('}', open)));
            byte[] body = new byte[length];
            System.arraycopy(response, start, body, 0, length);
            out.put(Long.parseLong(uid.group(1)), body);
        }
        return out;
    }

    /** Every message of every folder, by folder. */
    public Map<String, List<byte[]>> all() throws IOException {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        for (String folder : folders()) {
            out.put(folder, new ArrayList<>(messages(folder).values()));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            command("LOGOUT");
        } catch (IOException e) {
            // the server may close first
        } finally {
            socket.close();
        }
    }
}
