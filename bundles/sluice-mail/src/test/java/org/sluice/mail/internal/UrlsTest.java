package org.sluice.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sluice.mail.ExtractedUrl;
import org.sluice.mail.UrlSource;

/** URL extraction, de-obfuscation and unwrapping; wrapped forms built by hand from the documented formats. */
class UrlsTest {

    private static List<ExtractedUrl> text(String s) {
        UrlExtractor extractor = new UrlExtractor(100);
        extractor.fromText(s, UrlSource.TEXT, "1");
        return extractor.urls();
    }

    private static List<String> urls(List<ExtractedUrl> found) {
        return found.stream().map(ExtractedUrl::url).toList();
    }

    @Test
    void defangedForms() {
        List<ExtractedUrl> found =
                text("see hxxps://evil[.]example[.]com/login and example(.)org/x or fxp://files[.]test");

        assertEquals(
                List.of("https://evil.example.com/login", "ftp://files.test", "http://example.org/x"), urls(found));
        assertTrue(found.stream().allMatch(ExtractedUrl::obfuscated));
        assertEquals("evil.example.com", found.get(0).host());
    }

    @Test
    void trailingPunctuationAndUnbalancedBracketsAreTrimmed() {
        assertEquals(
                List.of("http://a.example/x_(y)", "https://b.example/q?a=1"),
                urls(text("(see http://a.example/x_(y)), and \"https://b.example/q?a=1\".")));
    }

    @Test
    void bareFileNamesAreNotUrls() {
        assertEquals(List.of(), text("open invoice.pdf or report.docx now, mail me at a.b@example.com."));
    }

    @Test
    void safeLinksAreUnwrapped() {
        List<ExtractedUrl> found =
                text("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.example.com"
                        + "%2Flogin%3Fa%3D1%26b%3D2&data=05%7C01%7C&sdata=abc&reserved=0");

        assertEquals("https://www.example.com/login?a=1&b=2", found.get(0).url());
        assertEquals(List.of("safelinks"), found.get(0).wrappers());
        assertEquals("www.example.com", found.get(0).host());
    }

    @Test
    void proofpointV1AndV2AreUnwrapped() {
        assertEquals(
                "http://www.example.com/a b",
                UrlUnwrapper.unwrap(
                                "https://urldefense.proofpoint.com/v1/url?u=http://www.example.com/a%20b&k=abc%3D%0A&r=x")
                        .url());
        UrlUnwrapper.Unwrapped v2 = UrlUnwrapper.unwrap("https://urldefense.proofpoint.com/v2/url?"
                + "u=https-3A__www.example.com_path-3Fq-3D1-26r-3D2&d=DwMFaQ&c=abc&r=def&m=ghi&s=jkl&e=");
        assertEquals("https://www.example.com/path?q=1&r=2", v2.url());
        assertEquals(List.of("proofpoint-v2"), v2.wrappers());
    }

    @Test
    void proofpointV3IsUnwrappedWithItsReplacementCharacters() {
        // "*" takes one character and "**A" a run of two from the base64url tail: "Pz8j" is "??#".
        UrlUnwrapper.Unwrapped v3 =
                UrlUnwrapper.unwrap("https://urldefense.com/v3/__https://ex.example/x**Ay*z__;Pz8j!!ABC!def$");

        assertEquals("https://ex.example/x??y#z", v3.url());
        assertEquals(List.of("proofpoint-v3"), v3.wrappers());
    }

    @Test
    void nestedWrappersAreAllRemoved() {
        String inner = "https://urldefense.com/v3/__https://final.example/__;!!x$";
        String outer = "https://nam02.safelinks.protection.outlook.com/?url="
                + inner.replace(":", "%3A")
                        .replace("/", "%2F")
                        .replace("$", "%24")
                        .replace(";", "%3B")
                + "&data=1";

        UrlUnwrapper.Unwrapped u = UrlUnwrapper.unwrap(outer);

        assertEquals("https://final.example/", u.url());
        assertEquals(List.of("safelinks", "proofpoint-v3"), u.wrappers());
    }

    @Test
    void htmlLinksKeepTheirVisibleText() {
        UrlExtractor extractor = new UrlExtractor(100);

        extractor.fromHtml(
                "<a href=\"https://evil.example/pay\">https://bank.example</a>"
                        + "<img src=\"//cdn.example/p.gif\"><form action=\"https://steal.example/post\"></form>"
                        + "<a href=\"mailto:x@example.com\">mail</a><a href=\"#top\">top</a>"
                        + "<div style=\"background:url('https://css.example/bg.png')\"></div>",
                "2");

        List<ExtractedUrl> found = extractor.urls();
        ExtractedUrl link = found.get(0);
        assertEquals("https://evil.example/pay", link.url());
        assertEquals(UrlSource.HTML_HREF, link.source());
        assertEquals("https://bank.example", link.anchorText());
        assertTrue(found.stream()
                .anyMatch(u -> u.url().equals("http://cdn.example/p.gif") && u.source() == UrlSource.HTML_SRC));
        assertTrue(found.stream()
                .anyMatch(u -> u.url().equals("https://steal.example/post") && u.source() == UrlSource.HTML_FORM));
        assertTrue(found.stream().anyMatch(u -> u.url().equals("https://css.example/bg.png")));
        assertTrue(found.stream()
                .anyMatch(u -> u.url().equals("https://bank.example") && u.source() == UrlSource.HTML_TEXT));
        assertTrue(found.stream()
                .noneMatch(u -> u.url().startsWith("mailto") || u.url().contains("#top")));
    }

    @Test
    void theLimitStopsCollecting() {
        UrlExtractor extractor = new UrlExtractor(2);

        extractor.fromText("http://a.example http://b.example http://c.example", UrlSource.TEXT, "1");

        assertEquals(2, extractor.urls().size());
        assertTrue(extractor.limitHit());
    }
}
