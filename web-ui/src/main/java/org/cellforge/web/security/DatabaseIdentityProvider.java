package org.cellforge.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cellforge.persistence.Accounts;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import io.agroal.api.AgroalDataSource;
import io.quarkus.elytron.security.common.BcryptUtil;
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

    private static final WildFlyElytronPasswordProvider PROVIDER = new WildFlyElytronPasswordProvider();

    /**
     * Checked when the name is unknown, so that an unknown name costs the same bcrypt work as a wrong
     * password and response times do not tell which names exist.
     */
    private static final String DECOY = BcryptUtil.bcryptHash("decoy-password-never-used");

    @Inject
    AgroalDataSource dataSource;

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
                matches(DECOY, password);
                return null;
            }
            if (!matches(account.get().passwordHash(), password)) {
                throw new AuthenticationFailedException("wrong password");
            }
            return identity(account.get().name(), account.get().role());
        });
    }

    private static SecurityIdentity identity(String name, String role) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRole(role).build();
    }

    /** Whether {@code password} hashes to {@code hash}, a bcrypt hash in modular crypt form. */
    static boolean matches(String hash, char[] password) {
        try {
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
            Password stored = factory.translate(ModularCrypt.decode(hash));
            return factory.verify(stored, password);
        } catch (java.security.GeneralSecurityException e) {
            throw new AuthenticationFailedException("unreadable password hash", e);
        }
    }
}
