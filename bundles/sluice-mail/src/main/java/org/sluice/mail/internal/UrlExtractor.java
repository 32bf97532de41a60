package org.sluice.mail.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;
import org.sluice.mail.ExtractedUrl;
import org.sluice.mail.UrlSource;

/**
 * Finds URLs in text and HTML and cleans them for analysis (see {@link ExtractedUrl}). Text is searched for URLs with
 * a scheme (including defanged {@code hxxp}/{@code h**p}/{@code fxp} and {@code [:]}), for {@code www.} hosts without
 * a scheme, and for host-and-path forms ({@code example.com/login}, {@code example[.]com}); trailing punctuation and
 * unbalanced closing brackets are trimmed. HTML is parsed with jsoup: link targets, sources, form actions, meta
 * refresh, CSS {@code url(...)} and the visible text.
 *
 * <p>Collects into an insertion-ordered set keyed by cleaned URL and source; stops at the URL limit and reports
 * whether it did.
 */
final class UrlExtractor {

    private static final String DOT = "(?:\\.|\\[\\.\\]|\\(\\.\\)|\\{\\.\\}|\\[dot\\]|\\(dot\\))";
    private static final Pattern SCHEME_URL = Pattern.compile(
            "(?i)(?<![\\w])(?:https?|hxxps?|hxps?|h\\*\\*ps?|h\\[tt\\]ps?|ftp|fxp|sftp)(?::|\\[:\\]|\\(:\\))//"
                    + "[^\\s<>\"'`\\u0000-\\u001f\\u007f\\u00a0]+");
    private static final Pattern WWW_URL =
            Pattern.compile("(?i)(?<![\\w.@/:-])www\\d{0,3}" + DOT + "[^\\s<>\"'`\\u0000-\\u001f\\u007f\\u00a0]+");
    private static final Pattern HOST_PATH = Pattern.compile("(?i)(?<![\\w.@/:%-])(?:[a-z0-9](?:[a-z0-9-]{0,62})" + DOT
            + ")+[a-z]{2,24}(?:/[^\\s<>\"'`\\u0000-\\u001f\\u007f\\u00a0]*|(?=[\\s,;)\\]>\"']|$))");
    private static final Pattern DEFANGED_DOT =
            Pattern.compile("(?i)\\[\\.\\]|\\(\\.\\)|\\{\\.\\}|\\[dot\\]|\\(dot\\)");
    private static final Pattern CSS_URL = Pattern.compile("(?i)url\\(\\s*['\"]?([^'\")\\s]+)");
    private static final Pattern REFRESH_URL = Pattern.compile("(?i)url\\s*=\\s*['\"]?([^'\"\\s]+)");
    private static final Pattern DEFANGED_SCHEME = Pattern.compile("(?i)^(hxxps?|hxps?|h\\*\\*ps?|h\\[tt\\]ps?|fxp)");

    private static final Pattern HAS_SCHEME = Pattern.compile("(?is)^[a-z][a-z0-9+.-]*:.*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n+");
    private static final Evaluator LINKS = QueryParser.parse("[href]:not(link):not(base)");
    private static final Evaluator SOURCES = QueryParser.parse("[src]");
    private static final Evaluator BACKGROUNDS = QueryParser.parse("[background], video[poster]");
    private static final Evaluator FORMS = QueryParser.parse("form[action], button[formaction], input[formaction]");
    private static final Evaluator LINK_ELEMENTS = QueryParser.parse("link[href]");
    private static final Evaluator METAS = QueryParser.parse("meta[http-equiv]");
    private static final Evaluator STYLES = QueryParser.parse("[style], style");

    private final Map<String, ExtractedUrl> found = new LinkedHashMap<>();
    private final int limit;
    private boolean limitHit;

    UrlExtractor(int limit) {
        this.limit = limit;
    }

    List<ExtractedUrl> urls() {
        return new ArrayList<>(found.values());
    }

    boolean limitHit() {
        return limitHit;
    }

    /** URLs in plain text. Only defanged host-and-path forms are taken from {@code source} {@code HTML_TEXT}. */
    void fromText(String text, UrlSource source, String partPath) {
        List<int[]> taken = new ArrayList<>();
        // Each pattern is tried at every position; skip the scans that cannot match (most texts lack "www").
        if (text.indexOf(':') >= 0) {
            scan(SCHEME_URL, text, source, partPath, taken, false);
        }
        if (containsWww(text)) {
            scan(WWW_URL, text, source, partPath, taken, false);
        }
        if (text.indexOf('/') >= 0 || text.indexOf('[') >= 0 || text.indexOf('(') >= 0 || text.indexOf('{') >= 0) {
            scan(HOST_PATH, text, source, partPath, taken, true);
        }
    }

    private void scan(Pattern p, String text, UrlSource source, String partPath, List<int[]> taken, boolean hostPath) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            int start = m.start();
            if (overlaps(taken, start, m.end())) {
                continue;
            }
            String candidate = trimTrailing(m.group());
            if (hostPath && !plausibleHostPath(candidate)) {
                continue;
            }
            taken.add(new int[] {start, start + candidate.length()});
            add(candidate, source, partPath, "");
        }
    }

    /** A bare host is taken only with a path, or when defanged; plain words like "file.pdf" are not URLs. */
    private static boolean plausibleHostPath(String candidate) {
        if (DEFANGED_DOT.matcher(candidate).find()) {
            return true;
        }
        return candidate.indexOf('/') > 0;
    }

    /** URLs in an HTML document: attributes by kind, then the visible text. */
    void fromHtml(String html, String partPath) {
        fromHtml(Jsoup.parse(html), partPath);
    }

    /** URLs in a parsed HTML document. */
    void fromHtml(Document doc, String partPath) {
        // Any element with an href is a link lure, also where HTML does not define one (<button href>).
        for (Element e : doc.select(LINKS)) {
            addAttribute(e.attr("href"), UrlSource.HTML_HREF, partPath, e.text());
        }
        for (Element e : doc.select(SOURCES)) {
            addAttribute(e.attr("src"), UrlSource.HTML_SRC, partPath, "");
        }
        for (Element e : doc.select(BACKGROUNDS)) {
            addAttribute(
                    e.hasAttr("background") ? e.attr("background") : e.attr("poster"),
                    UrlSource.HTML_SRC,
                    partPath,
                    "");
        }
        for (Element e : doc.select(FORMS)) {
            addAttribute(
                    e.hasAttr("action") ? e.attr("action") : e.attr("formaction"), UrlSource.HTML_FORM, partPath, "");
        }
        for (Element e : doc.select(LINK_ELEMENTS)) {
            addAttribute(e.attr("href"), UrlSource.HTML_OTHER, partPath, "");
        }
        for (Element e : doc.select(METAS)) {
            if (e.attr("http-equiv").equalsIgnoreCase("refresh")) {
                Matcher m = REFRESH_URL.matcher(e.attr("content"));
                if (m.find()) {
                    addAttribute(m.group(1), UrlSource.HTML_OTHER, partPath, "");
                }
            }
        }
        for (Element e : doc.select(STYLES)) {
            String css = e.tagName().equals("style") ? e.data() : e.attr("style");
            Matcher m = CSS_URL.matcher(css);
            while (m.find()) {
                addAttribute(m.group(1), UrlSource.HTML_OTHER, partPath, "");
            }
        }
        fromText(doc.text(), UrlSource.HTML_TEXT, partPath);
    }

    /** The visible text of an HTML document, as a reader would see it. */
    static String htmlText(String html) {
        return htmlText(Jsoup.parse(html));
    }

    /** The visible text of a parsed HTML document. */
    static String htmlText(Document doc) {
        String text = doc.wholeText().replace('\r', ' ');
        text = SPACES.matcher(text).replaceAll(" ");
        return BLANK_LINES.matcher(text).replaceAll("\n\n").strip();
    }

    private void addAttribute(String value, UrlSource source, String partPath, String anchorText) {
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        if (v.isEmpty()
                || lower.startsWith("#")
                || lower.startsWith("cid:")
                || lower.startsWith("data:")
                || lower.startsWith("mailto:")
                || lower.startsWith("tel:")
                || lower.startsWith("about:")) {
            return;
        }
        if (v.startsWith("//")) {
            v = "http:" + v;
        }
        if (!SCHEME_URL.matcher(v).lookingAt()
                && !lower.startsWith("www")
                && !HAS_SCHEME.matcher(v).matches()) {
            return; // relative links have no host to analyse
        }
        add(v, source, partPath, WHITESPACE.matcher(anchorText).replaceAll(" ").strip());
    }

    private void add(String raw, UrlSource source, String partPath, String anchorText) {
        if (found.size() >= limit) {
            limitHit = true;
            return;
        }
        String url = raw;
        boolean obfuscated = false;
        Matcher scheme = DEFANGED_SCHEME.matcher(url);
        if (scheme.find()) {
            String s = scheme.group(1).toLowerCase(Locale.ROOT);
            String replacement = s.startsWith("f") ? "ftp" : (s.endsWith("s") ? "https" : "http");
            url = replacement + url.substring(scheme.end());
            obfuscated = true;
        }
        String undotted = DEFANGED_DOT.matcher(url).replaceAll(".");
        undotted = undotted.replace("[:]", ":").replace("(:)", ":").replace("[/]", "/");
        obfuscated |= !undotted.equals(url);
        url = undotted;
        boolean schemeAdded = false;
        if (!HAS_SCHEME.matcher(url).matches()) {
            url = "http://" + url;
            schemeAdded = true;
        }
        UrlUnwrapper.Unwrapped unwrapped = UrlUnwrapper.unwrap(url);
        String key = unwrapped.url() + "\u0000" + source;
        found.putIfAbsent(
                key,
                new ExtractedUrl(
                        unwrapped.url(),
                        raw,
                        source,
                        partPath,
                        hostOf(unwrapped.url()),
                        anchorText,
                        unwrapped.wrappers(),
                        obfuscated,
                        schemeAdded));
    }

    /** The host of a URL in lower case, without user info, port or trailing dot; empty when there is none. */
    static String hostOf(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return "";
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#\\".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return (close < 0 ? authority : authority.substring(0, close + 1)).toLowerCase(Locale.ROOT);
        }
        int colon = authority.indexOf(':');
        if (colon >= 0) {
            authority = authority.substring(0, colon);
        }
        while (authority.endsWith(".")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        return authority.toLowerCase(Locale.ROOT);
    }

    /** Removes trailing punctuation and closing brackets that have no opening partner inside the URL. */
    static String trimTrailing(String s) {
        String out = s;
        boolean changed = true;
        while (changed && !out.isEmpty()) {
            changed = false;
            char last = out.charAt(out.length() - 1);
            if (".,;:!?'\"*".indexOf(last) >= 0) {
                out = out.substring(0, out.length() - 1);
                changed = true;
            } else if (last == ')' && count(out, '(') < count(out, ')')
                    || last == ']' && count(out, '[') < count(out, ']')
                    || last == '}' && count(out, '{') < count(out, '}')
                    || last == '>') {
                out = out.substring(0, out.length() - 1);
                changed = true;
            }
        }
        return out;
    }

    private static boolean containsWww(String s) {
        for (int i = s.indexOf('w') < 0 && s.indexOf('W') < 0 ? s.length() : 0; i + 3 <= s.length(); i++) {
            if (s.regionMatches(true, i, "www", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static boolean overlaps(List<int[]> taken, int start, int end) {
        for (int[] t : taken) {
            if (start < t[1] && end > t[0]) {
                return true;
            }
        }
        return false;
    }
}
