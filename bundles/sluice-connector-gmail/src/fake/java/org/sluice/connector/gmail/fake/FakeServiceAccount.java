package org.sluice.connector.gmail.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service account made up for tests: a fresh RSA key pair and a key file in the JSON form Google issues
 * ({@code type}, {@code client_email}, {@code private_key} in PKCS#8 PEM, {@code token_uri}...).
 */
public final class FakeServiceAccount {

    private final String clientEmail;
    private final KeyPair keys;

    public FakeServiceAccount(String clientEmail) {
        this.clientEmail = clientEmail;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is missing from this JVM", e);
        }
    }

    public String clientEmail() {
        return clientEmail;
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The key file's JSON, naming {@code tokenUri} as its token endpoint. */
    public String keyJson(String tokenUri) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> key = new LinkedHashMap<>();
        key.put("type", "service_account");
        key.put("project_id", "sluice-test");
        key.put("private_key_id", "0123456789abcdef");
        key.put("private_key", pem);
        key.put("client_email", clientEmail);
        key.put("client_id", "100000000000000000001");
        key.put("token_uri", tokenUri);
        try {
            return new ObjectMapper().writeValueAsString(key);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
