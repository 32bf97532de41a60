package org.sluice.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.sluice.api.error.ForbiddenException;
import org.sluice.api.error.NotFoundException;
import org.sluice.api.error.ValidationException;
import org.sluice.api.security.Account;
import org.sluice.api.security.AccountService;
import org.sluice.api.security.Actor;
import org.sluice.api.security.Role;
import org.sluice.rest.internal.security.Allow;
import org.sluice.rest.internal.security.Caller;

/** Console accounts. Admins manage every account; any user may change their own password. */
@Path(ApiPaths.OWN + "/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;

    public AccountResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @GET
    public List<Map<String, Object>> list() {
        return accounts.list().stream().map(AccountResource::account).toList();
    }

    @GET
    @Path("{username}")
    public Map<String, Object> get(@PathParam("username") String username) {
        return account(accounts.find(username).orElseThrow(() -> new NotFoundException("account", username)));
    }

    @POST
    public Response create(Map<String, Object> body, @Context SecurityContext caller) {
        Account account = accounts.create(
                Bodies.requiredText(body, "username"),
                Bodies.requiredText(body, "password").toCharArray(),
                role(body),
                Caller.actorOf(caller));
        return Response.status(201).entity(account(account)).build();
    }

    @PUT
    @Path("{username}/password")
    @Allow(Role.READ_ONLY)
    public Map<String, Object> changePassword(
            @PathParam("username") String username, Map<String, Object> body, @Context SecurityContext caller) {
        Actor actor = Caller.actorOf(caller);
        boolean self = actor.kind() == Actor.Kind.USER && actor.name().equals(username);
        if (!self && !caller.isUserInRole(Role.ADMIN.wireName())) {
            throw new ForbiddenException("only admins may change another account's password");
        }
        return account(accounts.changePassword(
                username, Bodies.requiredText(body, "password").toCharArray(), actor));
    }

    @PUT
    @Path("{username}/role")
    public Map<String, Object> setRole(
            @PathParam("username") String username, Map<String, Object> body, @Context SecurityContext caller) {
        return account(accounts.setRole(username, role(body), Caller.actorOf(caller)));
    }

    @PUT
    @Path("{username}/disabled")
    public Map<String, Object> setDisabled(
            @PathParam("username") String username, Map<String, Object> body, @Context SecurityContext caller) {
        Object disabled = Bodies.orEmpty(body).get("disabled");
        if (!(disabled instanceof Boolean flag)) {
            throw new ValidationException("disabled", "is required and must be true or false");
        }
        return account(accounts.setDisabled(username, flag, Caller.actorOf(caller)));
    }

    static Role role(Map<String, Object> body) {
        try {
            return Role.parse(Bodies.requiredText(body, "role"));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("role", e.getMessage());
        }
    }

    static Map<String, Object> account(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("username", a.username());
        m.put("role", a.role().wireName());
        m.put("created_at", Times.format(a.createdAt()));
        m.put("disabled", a.disabled());
        return m;
    }
}
