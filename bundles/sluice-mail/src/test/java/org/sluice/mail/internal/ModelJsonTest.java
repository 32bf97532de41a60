package org.sluice.mail.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sluice.mail.MailParser;

/** The debugging JSON form of the model: every component by name, strings escaped. */
class ModelJsonTest {

    @Test
    void modelPrintsAsJsonWithEscapedStrings() {
        String mail =
                "From: \"Q\\\"uote\" <q@example.com>\r\nSubject: a\\b\r\n\r\nline1\r\nline2 http://x.example/\r\n";

        String json = ModelJson.toJson(new MailParser().parse(mail.getBytes(StandardCharsets.UTF_8)));

        assertTrue(json.contains("\"subject\": \"a\\\\b\""), json);
        assertTrue(json.contains("\"displayName\": \"Q\\\"uote\""), json);
        assertTrue(json.contains("\"text\": \"line1\\r\\nline2 http://x.example/\\r\\n\""), json);
        assertTrue(json.contains("\"url\": \"http://x.example/\""), json);
        assertTrue(json.contains("\"format\": \"MIME\""), json);
        assertTrue(json.contains("\"attachments\": []"), json);
    }
}
