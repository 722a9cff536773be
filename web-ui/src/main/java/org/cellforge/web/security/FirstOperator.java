package org.cellforge.web.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.cellforge.persistence.Accounts;
import org.cellforge.runner.cli.Main;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * A fresh install is safe and still needs no setup: when no user is configured anywhere (no account
 * in the database, none in the server's configuration, no OpenID Connect provider), the first start
 * creates the account {@value #NAME} with the operator role and a random password, writes the
 * password once to {@value #FILE} in the data directory (readable by its owner only) and prints it
 * once on the console. The log never sees it.
 */
@ApplicationScoped
public class FirstOperator {

    /** The account's name. */
    public static final String NAME = "operator";

    /** The file in the data directory that receives the password. */
    public static final String FILE = "operator-password";

    /** Where {@code cellforge server} says its data directory is. */
    public static final String DATA_DIR_PROPERTY = "cellforge.data-dir";

    private static final Logger LOG = Logger.getLogger(FirstOperator.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Config config;

    void onStart(@Observes StartupEvent start) {
        if (usersConfigured()) {
            return;
        }
        Accounts accounts = new Accounts(dataSource);
        if (accounts.count() > 0) {
            return;
        }
        Path dir = config.getOptionalValue(DATA_DIR_PROPERTY, String.class).map(Path::of)
                .orElseGet(Main::defaultDataDir);
        String password = Passwords.generate();
        Path file = dir.resolve(FILE);
        // The file first: a password stored only as a hash and lost on the way out would lock the owner out.
        Path written = write(dir, password);
        if (!accounts.createIfNone(new Accounts.Account(NAME, Passwords.hash(password), Roles.OPERATOR))) {
            // Another server on this database created the first account meanwhile; its password stands.
            delete(written);
            return;
        }
        move(written, file);
        LOG.infof("created the account '%s' (role operator); its password is in %s", NAME, file);
        System.out.println("cellforge: no users were configured, so the account '" + NAME + "' was created with "
                + "the role operator and the password " + password + " (also in " + file + ", readable by you "
                + "only; it is not shown again)");
    }

    /** Whether any source of users is set up: the properties realm's users or an OpenID Connect provider. */
    private boolean usersConfigured() {
        boolean oidc = config.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true)
                && config.getOptionalValue("quarkus.oidc.auth-server-url", String.class).isPresent();
        // Names may carry a profile ("%test."): what counts is a user the active profile resolves.
        boolean properties = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .map(n -> n.replaceFirst("^%[^.]+\\.", ""))
                .filter(n -> n.startsWith("quarkus.security.users.embedded.users."))
                .anyMatch(n -> config.getOptionalValue(n, String.class).isPresent());
        return oidc || properties;
    }

    private static Path write(Path dir, String password) {
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, FILE, ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, password + "\n", StandardCharsets.UTF_8);
            return temp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the first operator's password to " + dir, e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the first operator's password to " + to, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", file, e.getMessage());
        }
    }
}
