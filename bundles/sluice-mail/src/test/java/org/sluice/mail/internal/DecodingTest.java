package org.sluice.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Header text, UTF-7 and MIME parameter decoding, with expectations from the RFCs' own examples or worked by hand. */
class DecodingTest {

    @Test
    void utf8CharacterSplitAcrossTwoQEncodedWordsIsJoinedAsBytes() {
        // U+00E9 is C3 A9 in UTF-8: the first word ends with C3, the second starts with A9.
        assertEquals("café au lait", HeaderText.decode("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9_au_lait?="));
    }

    @Test
    void utf8CharacterSplitAcrossBase64WordsIsJoinedAsBytes() {
        // U+20AC (euro) is E2 82 AC: "4oI=" is base64 of E2 82, "rA==" of AC.
        assertEquals("€", HeaderText.decode("=?utf-8?B?4oI=?=\r\n =?utf-8?B?rA==?="));
    }

    @Test
    void wordsInDifferentCharsetsAreDecodedEachInItsOwn() {
        // E9 in ISO-8859-1 and C3 A9 in UTF-8 are both U+00E9; the white space between encoded words goes.
        assertEquals("éé", HeaderText.decode("=?iso-8859-1?Q?=E9?= =?utf-8?Q?=C3=A9?="));
    }

    @Test
    void textBetweenWordsAndRawUtf8AreKept() {
        String raw = new String("Grüße =?utf-8?Q?von?= dir".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);

        assertEquals("Grüße von dir", HeaderText.decode(raw));
    }

    @Test
    void unknownCharsetLeavesTheWordAsWritten() {
        assertEquals("a =?x-nonsense?Q?b?= c", HeaderText.decode("a =?x-nonsense?Q?b?= c"));
    }

    @Test
    void lineBreaksAndControlCharactersNeverSurvive() {
        String decoded = HeaderText.decode("=?utf-8?Q?a=0D=0Ab=00c?=\r\n d\re");

        assertFalse(decoded.contains("\r") || decoded.contains("\n") || decoded.contains("\u0000"), decoded);
        assertEquals("a  b c d e", decoded);
    }

    @Test
    void utf7ExamplesOfRfc2152() {
        assertEquals("Hi Mom -\u263A-!", Utf7.decode(ascii("Hi Mom -+Jjo--!")));
        assertEquals("\u65E5\u672C\u8A9E", Utf7.decode(ascii("+ZeVnLIqe-")));
        assertEquals("A\u2262\u0391.", Utf7.decode(ascii("A+ImIDkQ.")));
        assertEquals("1 + 1 = 2", Utf7.decode(ascii("1 +- 1 +AD0- 2")));
    }

    @Test
    void utf7SurrogatePairAndMalformedTail() {
        // U+1F600 is D83D DE00: bits 1101100000111101 1101111000000000 -> base64 "2D3eAA".
        assertEquals("\uD83D\uDE00", Utf7.decode(ascii("+2D3eAA-")));
        // "+AG" leaves 12 bits, of which a whole 16-bit unit cannot be made: replaced, decoding goes on.
        assertEquals("\uFFFDx", Utf7.decode(ascii("+AG-x")));
    }

    @Test
    void utf7IsFoundByItsMimeLabels() {
        assertEquals("a+b", Charsets.decode(ascii("a+-b"), "UTF-7").text());
        assertEquals("a+b", Charsets.decode(ascii("a+-b"), "unicode-1-1-utf-7").text());
    }

    @Test
    void mislabelledAndUnknownCharsetsFallBack() {
        byte[] utf8 = "Grüße".getBytes(StandardCharsets.UTF_8);
        byte[] latin = {'G', 'r', (byte) 0xFC, (byte) 0xDF, 'e'};

        assertEquals("Grüße", Charsets.decode(utf8, "us-ascii").text());
        assertEquals("Grüße", Charsets.decode(latin, "iso-8859-1").text());
        Charsets.Decoded unknown = Charsets.decode(latin, "x-unknown-charset");
        assertEquals("Grüße", unknown.text());
        assertFalse(unknown.known());
        assertEquals(
                "Привет",
                Charsets.decode(
                                new byte[] {(byte) 0xF0, (byte) 0xD2, (byte) 0xC9, (byte) 0xD7, (byte) 0xC5, (byte) 0xD4
                                },
                                "KOI8-R")
                        .text());
    }

    @Test
    void rfc2231ExampleOfTheRfc() {
        // RFC 2231 section 4.1, with the sections given out of order.
        MimeParams.Parsed p = MimeParams.parse("application/x-stuff; title*2=\"isn't it!\"; "
                + "title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20");

        assertEquals("application/x-stuff", p.value());
        assertEquals("This is even more ***fun*** isn't it!", p.param("title"));
    }

    @Test
    void rfc2231SectionsAreJoinedAsBytesBeforeDecoding() {
        // E2 82 | AC: the euro sign split between two sections.
        MimeParams.Parsed p = MimeParams.parse("attachment; filename*0*=utf-8''%E2%82; filename*1*=%AC.pdf");

        assertEquals("attachment", p.value());
        assertEquals("€.pdf", p.param("filename"));
    }

    @Test
    void encodedWordsInQuotedParameterAndLenientValues() {
        MimeParams.Parsed p = MimeParams.parse("attachment; filename=\"=?utf-8?B?w6Rw?=.txt\"; size=12 ;x=a b");

        assertEquals("äp.txt", p.param("filename"));
        assertEquals("12", p.param("size"));
        assertEquals("a b", p.param("x"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
