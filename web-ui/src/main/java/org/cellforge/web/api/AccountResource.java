package org.cellforge.web.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cellforge.engine.InvalidRequestException;
import org.cellforge.web.security.AccountService;
import org.cellforge.web.security.AccountService.AccountInfo;
import org.cellforge.web.security.Roles;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The server's database accounts (users from the configuration or an OpenID Connect provider are
 * managed there): operators list, make, change and remove them; every account changes its own
 * password under {@code /api/account/password}.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    @Inject
    AccountService accounts;

    @Inject
    SecurityIdentity identity;

    /**
     * A new account.
     *
     * @param password its password; when absent the server makes one and answers it this once
     */
    public record NewAccount(String name, String role, String password) {
        @Override
        public String toString() {
            return "NewAccount[" + name + ", " + role + "]";
        }
    }

    /**
     * A change of an account; what is absent stays.
     *
     * @param generatePassword true for a new password made by the server and answered this once
     */
    public record AccountChange(String role, String password, Boolean generatePassword) {
        @Override
        public String toString() {
            return "AccountChange[" + role + "]";
        }
    }

    /** A signed-in account's new password, with its current one. */
    public record PasswordChange(String current, String password) {
        @Override
        public String toString() {
            return "PasswordChange";
        }
    }

    /** The database's accounts by name, with their roles. */
    @GET
    @Path("/accounts")
    @RolesAllowed(Roles.OPERATOR)
    public List<AccountInfo> list() {
        return accounts.list();
    }

    /** Makes an account: 201 (with the password when the server made it); 409 if the name is taken. */
    @POST
    @Path("/accounts")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "made; a generated password is in the body, shown this once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountInfo.class)))
    public Response create(NewAccount body) {
        NewAccount b = required(body);
        AccountInfo made = accounts.create(b.name(), b.role(), b.password());
        return Response.created(URI.create("/api/accounts/" + made.name())).entity(made).build();
    }

    /** Changes an account's role or password; 409 for demoting the last operator. */
    @PATCH
    @Path("/accounts/{name}")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public AccountInfo change(@PathParam("name") String name, AccountChange body) {
        AccountChange b = required(body);
        return accounts.change(name, b.role(), b.password(), Boolean.TRUE.equals(b.generatePassword()));
    }

    /** Removes an account: 204; 409 for the last operator. */
    @DELETE
    @Path("/accounts/{name}")
    @RolesAllowed(Roles.OPERATOR)
    @APIResponse(responseCode = "204", description = "removed")
    public Response remove(@PathParam("name") String name) {
        accounts.remove(name);
        return Response.noContent().build();
    }

    /** The signed-in account's own new password: 204; 409 for users that are not database accounts. */
    @PUT
    @Path("/account/password")
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "204", description = "changed")
    public Response changeOwn(PasswordChange body) {
        PasswordChange b = required(body);
        accounts.changeOwn(identity.getPrincipal().getName(), b.current(), b.password());
        return Response.noContent().build();
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw InvalidRequestException.of("body", "a JSON object is required");
        }
        return body;
    }
}
