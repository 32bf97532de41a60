package org.sluice.api.security;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * API keys for integrations. A key is {@code slk_<prefix>_<secret>}; the core stores the prefix for look-up and a
 * hash of the whole key, so a leaked database yields no usable key. Every change is audited.
 */
@ProviderType
public interface ApiKeyService {

    /** Creates a key with a role; the returned secret is the only copy. */
    CreatedApiKey create(String name, Role role, Actor actor);

    List<ApiKey> list();

    /**
     * The key presented by a client, when it is valid and not revoked; records its last use (at most about once a
     * minute, so that busy integrations do not write on every request).
     */
    Optional<ApiKey> authenticate(String presented);

    /** Revokes a key; it stops working at once. Revoking a revoked key changes nothing. */
    ApiKey revoke(long id, Actor actor);
}
