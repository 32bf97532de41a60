package org.sluice.connector.gmail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sluice.connector.gmail.fake.FakeGmailServer;

/** The fake's strict search parser: what the connector sends parses, anything wider is refused like Gmail does. */
class FakeGmailQueryTest {

    @SuppressWarnings("unchecked")
    private static List<Map.Entry<String, String>> parse(String q) throws Throwable {
        Method parse = FakeGmailServer.class.getDeclaredMethod("parseQuery", String.class);
        parse.setAccessible(true);
        try {
            return (List<Map.Entry<String, String>>) parse.invoke(null, q);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void theConnectorsQueriesParse() throws Throwable {
        assertEquals(
                List.of(Map.entry("rfc822msgid", "x OR from:* OR y@e")),
                parse(GmailQuery.messageId("x\" OR from:* OR \"y@e")));
        assertEquals(
                4,
                parse("from:\"a@b\" subject:\"Re: {x} -y\" after:999 before:2002")
                        .size());
    }

    @Test
    void syntaxOutsideTheOperatorsInUseIsRefused() {
        for (String q : List.of(
                "hello",
                "rfc822msgid:a OR rfc822msgid:b",
                "rfc822msgid:\"a\" OR",
                "-rfc822msgid:a",
                "rfc822msgid:-a",
                "rfc822msgid:a*",
                "{rfc822msgid:a rfc822msgid:b}",
                "(from:a)",
                "rfc822msgid:\"unclosed",
                "in:anywhere",
                "after:yesterday",
                "subject:\"a\"from:b")) {
            assertThrows(IllegalArgumentException.class, () -> parse(q), q);
        }
    }
}
