package org.sluice.mail.internal;

import java.nio.charset.Charset;

/**
 * Plain text of an RTF document, good enough to read it and find its URLs: groups that are destinations
 * ({@code {\*...}}, font and colour tables, pictures) are skipped, control words dropped, {@code \par} and
 * {@code \line} become line breaks, {@code \'hh} escapes are read as windows-1252 and {@code \\uN} as Unicode. Field
 * instructions ({@code HYPERLINK "..."}) are kept as text so their targets are found.
 */
final class Rtf {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    private Rtf() {}

    static String toText(String rtf) {
        if (!rtf.startsWith("{\\rtf")) {
            return rtf;
        }
        StringBuilder out = new StringBuilder(rtf.length() / 2);
        int skipDepth = -1;
        int depth = 0;
        int ucSkip = 0;
        int i = 0;
        int n = rtf.length();
        while (i < n) {
            char c = rtf.charAt(i);
            if (c == '{') {
                depth++;
                i++;
                if (skipDepth < 0 && i + 1 < n && rtf.charAt(i) == '\\' && rtf.charAt(i + 1) == '*') {
                    skipDepth = depth;
                }
                continue;
            }
            if (c == '}') {
                if (depth == skipDepth) {
                    skipDepth = -1;
                }
                depth--;
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < n) {
                char next = rtf.charAt(i + 1);
                if (next == '\'' && i + 3 < n) {
                    int hi = HeaderText.hex(rtf.charAt(i + 2));
                    int lo = HeaderText.hex(rtf.charAt(i + 3));
                    if (skipDepth < 0 && hi >= 0 && lo >= 0) {
                        if (ucSkip > 0) {
                            ucSkip--;
                        } else {
                            out.append(new String(new byte[] {(byte) (hi * 16 + lo)}, CP1252));
                        }
                    }
                    i += 4;
                    continue;
                }
                if (!Character.isLetter(next)) {
                    if (skipDepth < 0 && (next == '\\' || next == '{' || next == '}')) {
                        out.append(next);
                    }
                    i += 2;
                    continue;
                }
                int start = i + 1;
                int j = start;
                while (j < n && Character.isLetter(rtf.charAt(j))) {
                    j++;
                }
                String word = rtf.substring(start, j);
                int numStart = j;
                if (j < n && (rtf.charAt(j) == '-' || Character.isDigit(rtf.charAt(j)))) {
                    j++;
                    while (j < n && Character.isDigit(rtf.charAt(j))) {
                        j++;
                    }
                }
                String number = rtf.substring(numStart, j);
                if (j < n && rtf.charAt(j) == ' ') {
                    j++;
                }
                i = j;
                if (skipDepth >= 0) {
                    continue;
                }
                switch (word) {
                    case "fonttbl",
                            "colortbl",
                            "stylesheet",
                            "info",
                            "pict",
                            "object",
                            "themedata",
                            "latentstyles",
                            "datastore",
                            "xmlnstbl",
                            "listtable",
                            "listoverridetable" -> skipDepth = depth;
                    case "par", "line", "row", "sect", "page" -> out.append('\n');
                    case "tab", "cell" -> out.append('\t');
                    case "u" -> {
                        try {
                            int code = Integer.parseInt(number);
                            out.append((char) (code < 0 ? code + 65536 : code));
                            ucSkip = 1;
                        } catch (NumberFormatException e) {
                            // a \\u without a number carries no character
                        }
                    }
                    default -> {
                        // formatting control words carry no text
                    }
                }
                continue;
            }
            if (skipDepth < 0 && c != '\r' && c != '\n') {
                if (ucSkip > 0) {
                    ucSkip--;
                } else {
                    out.append(c);
                }
            }
            i++;
        }
        return out.toString().strip();
    }
}
