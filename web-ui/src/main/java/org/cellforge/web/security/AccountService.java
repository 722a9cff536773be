package org.cellforge.web.security;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cellforge.engine.ConflictException;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.NotFoundException;
import org.cellforge.persistence.Accounts;
import org.jboss.logging.Logger;

/**
 * The server's database accounts, managed by operators while the server runs: made with a role and
 * a password (chosen, or made here and shown once), changed, removed. The last operator account can
 * be neither removed nor demoted. Every account may change its own password. Passwords are hashed
 * here and never stored, logged or answered except a generated one, once.
 */
@ApplicationScoped
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);

    /**
     * An account as the API shows it.
     *
     * @param password only when this server generated it just now: shown this once, never again
     */
    public record AccountInfo(String name, String role, String password) {
        @Override
        public String toString() {
            return "AccountInfo[" + name + ", " + role + "]";
        }
    }

    @Inject
    javax.sql.DataSource dataSource;

    /** For the container. */
    public AccountService() {
    }

    /** The same service on {@code dataSource}, for {@code cellforge user} while no server runs. */
    public AccountService(javax.sql.DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private Accounts accounts() {
        return new Accounts(dataSource);
    }

    /** Every account with its role. */
    public List<AccountInfo> list() {
        return accounts().list().stream().map(a -> new AccountInfo(a.name(), a.role(), null)).toList();
    }

    /**
     * Makes account {@code name} with {@code role} and {@code password}, or a generated password
     * when it is null (then returned).
     */
    public AccountInfo create(String name, String role, String password) {
        String n = checkName(name);
        String r = checkRole(role);
        String p = password == null ? Passwords.generate() : Passwords.checkNew("password", password);
        switch (accounts().create(new Accounts.Account(n, Passwords.hash(p), r))) {
            case DONE -> LOG.infof("account '%s' made with the role %s", n, r);
            default -> throw new ConflictException("an account named '" + n + "' exists already");
        }
        return new AccountInfo(n, r, password == null ? p : null);
    }

    /**
     * Changes account {@code name}: its role unless {@code role} is null; its password to
     * {@code password}, or to a generated one (returned) when {@code generate}.
     */
    public AccountInfo change(String name, String role, String password, boolean generate) {
        String n = checkName(name);
        String r = role == null ? null : checkRole(role);
        if (password != null && generate) {
            throw InvalidRequestException.of("generatePassword", "cannot be true together with a password");
        }
        if (r == null && password == null && !generate) {
            throw InvalidRequestException.of("body", "nothing to change: give role, password or "
                    + "generatePassword: true");
        }
        String p = generate ? Passwords.generate() : password == null ? null : Passwords.checkNew("password",
                password);
        Accounts.Outcome outcome = accounts().update(n, p == null ? null : Passwords.hash(p), r);
        expect(outcome, n);
        if (p != null) {
            forgetFirstPassword(n);
        }
        Accounts.Account now = accounts().find(n).orElseThrow(() -> missing(n));
        LOG.infof("account '%s' changed:%s%s", n, r == null ? "" : " role " + r, p == null ? "" : " new password");
        return new AccountInfo(n, now.role(), generate ? p : null);
    }

    /** Removes account {@code name}. */
    public void remove(String name) {
        String n = checkName(name);
        expect(accounts().remove(n), n);
        forgetFirstPassword(n);
        LOG.infof("account '%s' removed", n);
    }

    /**
     * Changes the password of the signed-in user {@code name}, which must be a database account, after
     * checking {@code current}.
     */
    public void changeOwn(String name, String current, String password) {
        if (current == null) {
            throw InvalidRequestException.of("current", "is required");
        }
        String p = Passwords.checkNew("password", password);
        Accounts.Account account = accounts().find(name).orElseThrow(() -> new ConflictException("'" + name
                + "' is not an account of this server's database; change its password where it is configured"));
        if (!Passwords.matches(account.passwordHash(), current.toCharArray())) {
            throw InvalidRequestException.of("current", "is not the account's current password");
        }
        if (current.equals(p)) {
            throw InvalidRequestException.of("password", "is the current password");
        }
        expect(accounts().update(name, Passwords.hash(p), null), name);
        forgetFirstPassword(name);
        LOG.infof("account '%s' changed its password", name);
    }

    /**
     * Removes the file holding the first operator's generated password once that password no longer
     * works, so that nobody trusts a stale one.
     */
    private static void forgetFirstPassword(String name) {
        String dir = System.getProperty(FirstOperator.DATA_DIR_PROPERTY);
        if (!FirstOperator.NAME.equals(name) || dir == null || dir.isBlank()) {
            return;
        }
        java.nio.file.Path file = java.nio.file.Path.of(dir).resolve(FirstOperator.FILE);
        try {
            if (java.nio.file.Files.deleteIfExists(file)) {
                LOG.infof("removed %s: the password it held is no longer the account's", file);
            }
        } catch (java.io.IOException e) {
            LOG.warnf("cannot remove %s, which holds a password no longer in use: %s", file, e.getMessage());
        }
    }

    private static void expect(Accounts.Outcome outcome, String name) {
        switch (outcome) {
            case DONE -> {
            }
            case UNKNOWN -> throw missing(name);
            case LAST_OPERATOR -> throw new ConflictException("'" + name + "' is the last operator account: make "
                    + "another account an operator first");
            case EXISTS -> throw new ConflictException("an account named '" + name + "' exists already");
        }
    }

    private static NotFoundException missing(String name) {
        return new NotFoundException("no account named '" + name + "'");
    }

    /** A valid account name: 400 naming {@code name} otherwise. */
    static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidRequestException.of("name", "is required");
        }
        if (!Accounts.NAME.matcher(name).matches()) {
            throw InvalidRequestException.of("name", "must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    private static String checkRole(String role) {
        if (role == null || role.isBlank()) {
            throw InvalidRequestException.of("role", "is required: viewer or operator");
        }
        String r = role.strip().toLowerCase(Locale.ROOT);
        if (!r.equals(Roles.VIEWER) && !r.equals(Roles.OPERATOR)) {
            throw InvalidRequestException.of("role", "expected viewer or operator, got '"
                    + (role.length() > 40 ? role.substring(0, 40) + "..." : role) + "'");
        }
        return r;
    }
}
