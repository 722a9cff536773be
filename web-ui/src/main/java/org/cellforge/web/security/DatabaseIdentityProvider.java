package org.cellforge.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cellforge.persistence.Accounts;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Checks a name and password (HTTP Basic on the API, the dashboard's login form) against the
 * accounts table. Names it does not hold are left to the next provider (users from the server's
 * configuration), so both kinds of users can sign in; a wrong password for a name it holds fails here.
 */
@ApplicationScoped
public class DatabaseIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    /**
     * Checked when the name is unknown, so that an unknown name costs the same bcrypt work as a wrong
     * password and response times do not tell which names exist.
     */
    private static final String DECOY = Passwords.hash("decoy-password-never-used");

    @Inject
    AgroalDataSource dataSource;

    private final Verdicts verdicts;

    @Inject
    DatabaseIdentityProvider(@ConfigProperty(name = "cellforge.security.verdict-seconds", defaultValue = "300")
            int verdictSeconds) {
        this.verdicts = new Verdicts(java.time.Duration.ofSeconds(Math.max(0, verdictSeconds)), 4096,
                Passwords::matches);
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    /**
     * Before the properties realm's provider (the default, 1001), which fails for names it does not
     * hold; this one declines them instead, so the realm still gets its turn.
     */
    @Override
    public int priority() {
        return 2000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            String name = request.getUsername();
            char[] password = request.getPassword().getPassword();
            var account = Accounts.NAME.matcher(name).matches() ? new Accounts(dataSource).find(name)
                    : java.util.Optional.<Accounts.Account>empty();
            if (account.isEmpty()) {
                verdicts.check(name, DECOY, password);
                return null;
            }
            if (!verdicts.check(name, account.get().passwordHash(), password)) {
                throw new AuthenticationFailedException("wrong password");
            }
            return identity(account.get().name(), account.get().role());
        });
    }

    static SecurityIdentity identity(String name, String role) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRole(role).build();
    }
}
