package org.sluice.core.internal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.security.Actor;
import org.sluice.api.security.ApiKey;
import org.sluice.api.security.ApiKeyService;
import org.sluice.api.security.CreatedApiKey;
import org.sluice.api.security.Role;
import org.sluice.core.internal.Hashes;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;

/**
 * API keys of the form {@code slk_<prefix>_<secret>}: 8 hex characters of public prefix and 256 random bits of
 * secret. Only the prefix and the SHA-256 of the whole key are stored; a plain hash suffices because the key is random
 * and long, unlike a password.
 */
@Component(service = ApiKeyService.class)
public class ApiKeyServiceImpl implements ApiKeyService {

    private static final Pattern KEY = Pattern.compile("slk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})");
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final int MAX_NAME = 128;

    private final Logger logger = LoggerFactory.getLogger(ApiKeyServiceImpl.class);

    private final Database database;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    @Activate
    public ApiKeyServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public CreatedApiKey create(String name, Role role, Actor actor) {
        if (name == null
                || name.isBlank()
                || name.length() > MAX_NAME
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("name", "is required: 1 to " + MAX_NAME + " printable characters");
        }
        if (role == null) {
            throw new ValidationException("role", "is required (admin, analyst or read-only)");
        }
        byte[] prefixBytes = new byte[4];
        byte[] secretBytes = new byte[32];
        random.nextBytes(prefixBytes);
        random.nextBytes(secretBytes);
        String prefix = HexFormat.of().formatHex(prefixBytes);
        String secret =
                "slk_" + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);

        ApiKey key = database.inTransaction(em -> {
            Instant now = clock.instant();
            ApiKeyEntity entity = new ApiKeyEntity();
            entity.name = name.trim();
            entity.prefix = prefix;
            entity.secretHash = Hashes.sha256Hex(secret);
            entity.role = role;
            entity.createdBy = actor.name();
            entity.createdAt = now;
            em.persist(entity);
            em.flush();
            AuditLogImpl.append(
                    em,
                    actor,
                    "apikey.create",
                    "apikey",
                    String.valueOf(entity.id),
                    "name '" + entity.name + "', prefix " + prefix + ", role " + role.wireName(),
                    now);
            return toKey(entity);
        });
        logger.info(
                "API key '{}' ({}) created with role {} by '{}'", key.name(), prefix, role.wireName(), actor.name());
        return new CreatedApiKey(key, secret);
    }

    @Override
    public List<ApiKey> list() {
        return database.inTransaction(
                em -> em.createNamedQuery("ApiKey.all", ApiKeyEntity.class).getResultList().stream()
                        .map(ApiKeyServiceImpl::toKey)
                        .toList());
    }

    @Override
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher matcher = KEY.matcher(presented.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String prefix = matcher.group(1);
        byte[] hash = Hashes.sha256Hex(presented.trim()).getBytes(StandardCharsets.US_ASCII);
        return database.inTransaction(em -> {
            Optional<ApiKeyEntity> found = em.createNamedQuery("ApiKey.byPrefix", ApiKeyEntity.class)
                    .setParameter("prefix", prefix)
                    .getResultStream()
                    .findFirst()
                    .filter(e -> MessageDigest.isEqual(hash, e.secretHash.getBytes(StandardCharsets.US_ASCII)))
                    .filter(e -> e.revokedAt == null);
            found.ifPresent(e -> {
                Instant now = clock.instant();
                if (e.lastUsedAt == null
                        || e.lastUsedAt.plus(LAST_USED_GRANULARITY).isBefore(now)) {
                    e.lastUsedAt = now;
                }
            });
            return found.map(ApiKeyServiceImpl::toKey);
        });
    }

    @Override
    public ApiKey revoke(long id, Actor actor) {
        ApiKey key = database.inTransaction(em -> {
            ApiKeyEntity entity = em.find(ApiKeyEntity.class, id);
            if (entity == null) {
                throw new NotFoundException("API key", id);
            }
            if (entity.revokedAt == null) {
                Instant now = clock.instant();
                entity.revokedAt = now;
                AuditLogImpl.append(
                        em,
                        actor,
                        "apikey.revoke",
                        "apikey",
                        String.valueOf(id),
                        "name '" + entity.name + "', prefix " + entity.prefix,
                        now);
            }
            return toKey(entity);
        });
        logger.info("API key '{}' ({}) revoked by '{}'", key.name(), key.prefix(), actor.name());
        return key;
    }

    private static ApiKey toKey(ApiKeyEntity e) {
        return new ApiKey(e.id, e.name, e.prefix, e.role, e.createdBy, e.createdAt, e.lastUsedAt, e.revokedAt);
    }
}
