package org.sluice.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sluice.api.clear.Disposition;
import org.sluice.rules.Ruleset;
import org.sluice.rules.Verdict;

/** Every rule of the shipped ruleset, each with a message it must match and a close one it must not. */
class DefaultRulesetTest {

    @TempDir
    static Path emptyFolder;

    private static RuleEngineImpl engine;

    private static RuleEngineImpl engine() {
        if (engine == null) {
            engine = RuleEngineImpl.forFolder(emptyFolder, "default");
        }
        return engine;
    }

    static Stream<Arguments> examples() {
        return Stream.of(
                example(
                        "attachment-executable",
                        new MessageFacts().attachment("invoice.exe", "exe", "application/x-dosexec", false),
                        new MessageFacts().attachment("invoice.pdf", "pdf", "application/pdf", false)),
                example(
                        "attachment-program-in-disguise",
                        new MessageFacts().attachment("scan.pdf", "pdf", "application/x-dosexec", false),
                        new MessageFacts().attachment("scan.pdf", "pdf", "application/pdf", false)),
                example(
                        "attachment-archive-from-outside",
                        new MessageFacts().attachment("docs.zip", "zip", "application/zip", false),
                        new MessageFacts()
                                .sender("Pat", "pat@corp.example")
                                .attachment("docs.zip", "zip", "application/zip", false)),
                example(
                        "account-lure-in-subject",
                        new MessageFacts().subject("Your mailbox is suspended: verify your details"),
                        new MessageFacts().subject("Your order has shipped")),
                example(
                        "advance-fee-fraud",
                        new MessageFacts().body("As next of kin you will receive US$ 4.5 million from the estate."),
                        new MessageFacts().body("The budget for next year is 4.5 percent higher.")),
                example(
                        "extortion-or-crypto-lure",
                        new MessageFacts()
                                .body("I gained access to your device. Send 0.1 bitcoin or the video goes out."),
                        new MessageFacts().body("We accept card payments and bank transfers.")),
                example(
                        "display-name-hidden-characters",
                        new MessageFacts().sender("Micro\u200Bsoft Support", "support@helpdesk-mail.example"),
                        new MessageFacts().sender("Microsoft Support", "support@helpdesk-mail.example")),
                example(
                        "bulk-marketing-language",
                        new MessageFacts().body("Lowest rates ever! To be removed from this list reply REMOVE."),
                        new MessageFacts().body("Minutes of the meeting are below.")),
                example(
                        "conversation-reply",
                        new MessageFacts()
                                .header("in-reply-to", "<a@b.example>")
                                .url("https://docs.supplier.example/", "docs.supplier.example", "supplier.example", ""),
                        new MessageFacts()
                                .url(
                                        "https://docs.supplier.example/",
                                        "docs.supplier.example",
                                        "supplier.example",
                                        "")),
                example(
                        "plain-personal-message",
                        new MessageFacts(),
                        new MessageFacts()
                                .url(
                                        "https://docs.supplier.example/",
                                        "docs.supplier.example",
                                        "supplier.example",
                                        "")),
                example(
                        "attachment-macro-document",
                        new MessageFacts().attachment("order.xlsm", "xlsm", "application/zip", false),
                        new MessageFacts()
                                .sender("Finance", "finance@corp.example")
                                .attachment("order.xlsm", "xlsm", "application/zip", false)),
                example(
                        "attachment-html-page",
                        new MessageFacts().attachment("fax.html", "html", "text/html", false),
                        new MessageFacts().attachment("fax.txt", "txt", "text/plain", false)),
                example(
                        "internal-domain-failed-authentication",
                        new MessageFacts().sender("CEO", "ceo@corp.example").auth("dmarc", "fail"),
                        new MessageFacts().sender("CEO", "ceo@corp.example")),
                example(
                        "display-name-claims-internal",
                        new MessageFacts().sender("IT Desk corp.example", "it@helpdesk-mail.example"),
                        new MessageFacts().sender("IT Desk", "it@helpdesk-mail.example")),
                example(
                        "reply-to-freemail-mismatch",
                        new MessageFacts().replyTo("ceo.private@gmail.com"),
                        new MessageFacts().replyTo("dana@supplier.example")),
                example(
                        "brand-name-from-unrelated-domain",
                        new MessageFacts().sender("D/H/L-Express Paket", "newsletters@duringfell.example"),
                        new MessageFacts().sender("DHL Express", "noreply@dhl.com")),
                example(
                        "reply-to-elsewhere-failed-authentication",
                        new MessageFacts()
                                .replyTo("offers@cozy-offers.example")
                                .auth("spf", "softfail")
                                .auth("dkim", "none")
                                .auth("dmarc", "none"),
                        new MessageFacts()
                                .replyTo("offers@cozy-offers.example")
                                .auth("spf", "softfail")
                                .auth("dkim", "pass")),
                example(
                        "link-to-free-hosting",
                        new MessageFacts()
                                .url(
                                        "https://secure-login-365.netlify.app/",
                                        "secure-login-365.netlify.app",
                                        "secure-login-365.netlify.app",
                                        "Sign in"),
                        new MessageFacts()
                                .sender("Docs team", "docs@project.github.io")
                                .url(
                                        "https://project.github.io/guide",
                                        "project.github.io",
                                        "project.github.io",
                                        "Guide")),
                example(
                        "credential-lure-with-link",
                        new MessageFacts()
                                .subject("Action needed")
                                .body("Please verify your account today or it will be closed.")
                                .url("https://login.evil.example/x", "login.evil.example", "evil.example", "Verify"),
                        new MessageFacts()
                                .subject("Action needed")
                                .body("Please verify your account today or it will be closed.")
                                .url("https://portal.corp.example/x", "portal.corp.example", "corp.example", "Portal")),
                example(
                        "link-to-ip-address",
                        new MessageFacts().url("http://192.0.2.7/login", "192.0.2.7", "192.0.2.7", "here"),
                        new MessageFacts()
                                .url("https://www.supplier.example/", "www.supplier.example", "supplier.example", "")),
                example(
                        "link-punycode-host",
                        new MessageFacts()
                                .url("https://xn--pple-43d.com/", "xn--pple-43d.com", "xn--pple-43d.com", "apple"),
                        new MessageFacts().url("https://apple.com/", "apple.com", "apple.com", "apple")),
                example(
                        "link-text-shows-other-domain",
                        new MessageFacts()
                                .url(
                                        "https://evil.example/x",
                                        "evil.example",
                                        "evil.example",
                                        "https://www.mybank.example"),
                        new MessageFacts()
                                .url(
                                        "https://www.mybank.example/x",
                                        "www.mybank.example",
                                        "mybank.example",
                                        "www.mybank.example")),
                example(
                        "shortened-link-with-lure",
                        new MessageFacts()
                                .subject("URGENT: invoice overdue")
                                .url("https://bit.ly/3x", "bit.ly", "bit.ly", "open"),
                        new MessageFacts()
                                .subject("Slides from today")
                                .url("https://bit.ly/3x", "bit.ly", "bit.ly", "open")),
                example(
                        "bulk-mailing-list",
                        new MessageFacts().header("list-unsubscribe", "<https://news.example/u>"),
                        new MessageFacts()
                                .header("list-unsubscribe", "<https://news.example/u>")
                                .auth("dkim", "fail")
                                .auth("dmarc", "fail")),
                example(
                        "bulk-precedence-header",
                        new MessageFacts().header("precedence", "Bulk"),
                        new MessageFacts().header("precedence", "first-class")),
                example(
                        "internal-authenticated-plain",
                        new MessageFacts().sender("Pat", "pat@corp.example"),
                        new MessageFacts()
                                .sender("Pat", "pat@corp.example")
                                .url("https://x.example/", "x.example", "x.example", "")),
                example(
                        "automatic-reply",
                        new MessageFacts().header("auto-submitted", "auto-replied"),
                        new MessageFacts().header("auto-submitted", "no")));
    }

    private static Arguments example(String ruleId, MessageFacts positive, MessageFacts negative) {
        return Arguments.of(ruleId, positive.build(), negative.build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void ruleMatchesItsExampleAndNotTheNearMiss(
            String ruleId, Map<String, Object> positive, Map<String, Object> negative) {
        Verdict hit = engine().evaluate(positive);
        Verdict miss = engine().evaluate(negative);

        assertTrue(hit.errors().isEmpty(), hit.errors().toString());
        assertTrue(miss.errors().isEmpty(), miss.errors().toString());
        assertTrue(matched(hit).contains(ruleId), ruleId + " should match; matched " + matched(hit));
        assertFalse(matched(miss).contains(ruleId), ruleId + " should not match; matched " + matched(miss));
    }

    private static Set<String> matched(Verdict verdict) {
        return verdict.matches().stream().map(Verdict.Match::ruleId).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyShippedRuleHasAnExample() {
        Ruleset ruleset = engine().active();
        Set<String> shipped = ruleset.rules().stream().map(r -> r.id()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = examples().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(shipped, covered);
    }

    @Test
    void forgedReplyHeadersDoNotMakeALinkElsewhereLowRisk() {
        Verdict lure = engine().evaluate(new MessageFacts()
                .header("in-reply-to", "<abc@corp.example>")
                .subject("Your mailbox is almost full")
                .url(
                        "https://corp-support.example/owa/login",
                        "corp-support.example",
                        "corp-support.example",
                        "Sign in")
                .build());
        assertFalse(matched(lure).contains("conversation-reply"), matched(lure).toString());
        assertFalse(lure.disposition() == Disposition.LOW_RISK, lure.explanation());
    }

    @Test
    void anOrdinaryOutsideMessageWithALinkStaysUnknownAndTheHighestDispositionWins() {
        Verdict linked = engine().evaluate(new MessageFacts()
                .url("https://docs.supplier.example/", "docs.supplier.example", "supplier.example", "")
                .build());
        assertEquals(Disposition.UNKNOWN, linked.disposition());
        assertEquals(null, linked.ruleId());

        Verdict both = engine().evaluate(new MessageFacts()
                .header("list-unsubscribe", "<https://news.example/u>")
                .attachment("update.exe", "exe", "application/x-dosexec", false)
                .build());
        assertEquals(Disposition.MALICIOUS, both.disposition());
        assertEquals("attachment-executable", both.ruleId());
        assertEquals("default", both.ruleset());
        assertEquals(engine().active().version(), both.version());
        assertTrue(both.explanation().startsWith("Malicious by rule attachment-executable"), both.explanation());
    }
}
