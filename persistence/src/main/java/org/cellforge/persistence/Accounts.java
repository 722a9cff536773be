package org.cellforge.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * The accounts table (migration V9): users of the server kept in the database, each with a bcrypt
 * password hash and one role. Hashing is the caller's; this never sees a plain password.
 */
public final class Accounts {

    /** What an account name may be: what the table's check allows. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * One stored account.
     *
     * @param passwordHash bcrypt in modular crypt form ({@code $2a$...})
     * @param role {@code viewer} or {@code operator}
     */
    public record Account(String name, String passwordHash, String role) {
        public Account {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(passwordHash, "passwordHash");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public String toString() {
            // Records print every component; a hash has no business in a log line.
            return "Account[" + name + ", " + role + "]";
        }
    }

    private final DataSource dataSource;

    public Accounts(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The account named {@code name}, if there is one. */
    public Optional<Account> find(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select name, password_hash, role from account where name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Account(r.getString(1), r.getString(2), r.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read accounts: " + e.getMessage(), e);
        }
    }

    /** How many accounts the database holds. */
    public long count() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from account")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read accounts: " + e.getMessage(), e);
        }
    }

    /**
     * Stores {@code account} if the table is empty, in one transaction that locks the table first: of
     * several servers starting together on one database, exactly one creates the first account.
     *
     * @return whether it was stored (false: some account already existed)
     */
    public boolean createIfNone(Account account) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("lock table account in share row exclusive mode");
                }
                boolean created;
                try (PreparedStatement s = c.prepareStatement("insert into account (name, password_hash, role) "
                        + "select ?, ?, ? where not exists (select 1 from account)")) {
                    s.setString(1, account.name());
                    s.setString(2, account.passwordHash());
                    s.setString(3, account.role());
                    created = s.executeUpdate() == 1;
                }
                c.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the account " + account.name() + ": " + e.getMessage(), e);
        }
    }
}
