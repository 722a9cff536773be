package org.cellforge.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cellforge.persistence.Accounts;

import io.agroal.api.AgroalDataSource;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * Turns the dashboard's login cookie back into a user on every request: the cookie names the user,
 * and the accounts table says whether the account still exists and which role it has now, so a
 * removed account is signed out and a changed role applies at once. Names it does not hold are left
 * to the next provider (users from the server's configuration).
 */
@ApplicationScoped
public class DatabaseSessionProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    @Inject
    AgroalDataSource dataSource;

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    /** Before the properties realm's provider, which fails for names it does not hold instead of declining. */
    @Override
    public int priority() {
        return 2000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            String name = request.getPrincipal();
            if (!Accounts.NAME.matcher(name).matches()) {
                return null;
            }
            return new Accounts(dataSource).find(name)
                    .map(a -> DatabaseIdentityProvider.identity(a.name(), a.role())).orElse(null);
        });
    }
}
