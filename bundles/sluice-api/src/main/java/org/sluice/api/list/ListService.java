package org.sluice.api.list;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import org.sluice.api.security.Actor;

/**
 * Named lists of indicators (IP addresses, domains, URLs, file hashes) or user names, such as the block lists that
 * SOAR playbooks add to. Implemented by the core; every change is audited.
 */
@ProviderType
public interface ListService {

    /** The longest member value kept. */
    int MAX_VALUE = 2_048;

    /**
     * Creates a list.
     *
     * @param kind what the members are: {@code ip}, {@code domain}, {@code url}, {@code hash} or {@code user}
     */
    ThreatList create(String name, String kind, Actor actor);

    List<ThreatList> lists();

    /** The members of a list, oldest first; {@link org.sluice.api.error.NotFoundException} for an unknown list. */
    List<ListMember> members(long listId);

    ListMember member(long listId, long memberId);

    /** Adds a member; {@code description} and {@code expiration} may be {@code null}. */
    ListMember addMember(long listId, String value, String description, Instant expiration, Actor actor);

    /** Removes a member and returns it as it was. */
    ListMember removeMember(long listId, long memberId, Actor actor);

    /** A list. */
    record ThreatList(long id, String name, String kind, Instant createdAt) {}

    /** A list member. */
    record ListMember(
            long id,
            long listId,
            String value,
            String description,
            Instant expiration,
            String createdBy,
            Instant createdAt,
            Instant updatedAt) {}
}
