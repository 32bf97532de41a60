package org.sluice.core.internal.list;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sluice.api.error.ConflictException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.list.ListService;
import org.sluice.api.security.Actor;
import org.sluice.core.internal.audit.AuditLogImpl;
import org.sluice.core.internal.db.Database;

/** Lists and their members on JPA; every change audited in its own transaction. */
@Component(service = ListService.class)
public class ListServiceImpl implements ListService {

    static final Set<String> KINDS = Set.of("ip", "domain", "url", "hash", "user");

    private final Database database;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public ListServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public ThreatList create(String name, String kind, Actor actor) {
        if (name == null
                || name.isBlank()
                || name.length() > 128
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("name", "must be 1 to 128 printable characters");
        }
        if (kind == null || !KINDS.contains(kind)) {
            throw new ValidationException("kind", "must be one of ip, domain, url, hash, user");
        }
        try {
            return database.inTransaction(em -> {
                Instant now = clock.instant();
                ThreatListEntity entity = new ThreatListEntity();
                entity.name = name.strip();
                entity.kind = kind;
                entity.createdAt = now;
                em.persist(entity);
                em.flush();
                AuditLogImpl.append(
                        em,
                        actor,
                        "list.create",
                        "list",
                        String.valueOf(entity.id),
                        entity.name + " (" + kind + ")",
                        now);
                return toList(entity);
            });
        } catch (PersistenceException e) {
            if (Database.isConstraintViolation(e)) {
                throw new ConflictException("a list named '" + name.strip() + "' exists already");
            }
            throw e;
        }
    }

    @Override
    public List<ThreatList> lists() {
        return database.inTransaction(
                em -> em
                        .createQuery("SELECT l FROM ThreatListEntity l ORDER BY l.id", ThreatListEntity.class)
                        .getResultList()
                        .stream()
                        .map(ListServiceImpl::toList)
                        .toList());
    }

    @Override
    public List<ListMember> members(long listId) {
        return database.inTransaction(em -> {
            requireList(em, listId);
            return em
                    .createNamedQuery("ListMember.byList", ListMemberEntity.class)
                    .setParameter("list", listId)
                    .getResultList()
                    .stream()
                    .map(ListServiceImpl::toMember)
                    .toList();
        });
    }

    @Override
    public ListMember member(long listId, long memberId) {
        return database.inTransaction(em -> toMember(requireMember(em, listId, memberId)));
    }

    @Override
    public ListMember addMember(long listId, String value, String description, Instant expiration, Actor actor) {
        if (value == null
                || value.isBlank()
                || value.length() > MAX_VALUE
                || value.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("member", "must be 1 to " + MAX_VALUE + " printable characters");
        }
        if (description != null && description.length() > 1_000) {
            throw new ValidationException("description", "is longer than 1000 characters");
        }
        return database.inTransaction(em -> {
            requireList(em, listId);
            Instant now = clock.instant();
            ListMemberEntity entity = new ListMemberEntity();
            entity.listId = listId;
            entity.value = value.strip();
            entity.description = description;
            entity.expiration = expiration;
            entity.createdBy = actor.name();
            entity.createdAt = now;
            entity.updatedAt = now;
            em.persist(entity);
            em.flush();
            AuditLogImpl.append(
                    em, actor, "list.member.add", "list", String.valueOf(listId), "member " + entity.id, now);
            return toMember(entity);
        });
    }

    @Override
    public ListMember removeMember(long listId, long memberId, Actor actor) {
        return database.inTransaction(em -> {
            ListMemberEntity entity = requireMember(em, listId, memberId);
            ListMember removed = toMember(entity);
            em.remove(entity);
            AuditLogImpl.append(
                    em,
                    actor,
                    "list.member.remove",
                    "list",
                    String.valueOf(listId),
                    "member " + memberId,
                    clock.instant());
            return removed;
        });
    }

    private static ThreatListEntity requireList(EntityManager em, long listId) {
        ThreatListEntity list = em.find(ThreatListEntity.class, listId);
        if (list == null) {
            throw new NotFoundException("list", listId);
        }
        return list;
    }

    private static ListMemberEntity requireMember(EntityManager em, long listId, long memberId) {
        requireList(em, listId);
        ListMemberEntity member = em.find(ListMemberEntity.class, memberId);
        if (member == null || member.listId != listId) {
            throw new NotFoundException("list member", memberId);
        }
        return member;
    }

    private static ThreatList toList(ThreatListEntity e) {
        return new ThreatList(e.id, e.name, e.kind, e.createdAt);
    }

    private static ListMember toMember(ListMemberEntity e) {
        return new ListMember(
                e.id, e.listId, e.value, e.description, e.expiration, e.createdBy, e.createdAt, e.updatedAt);
    }
}
