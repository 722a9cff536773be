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
        return locked(c -> insert(c, "insert into account (name, password_hash, role) select ?, ?, ? where not "
                + "exists (select 1 from account)", account));
    }

    /** Every account, by name. */
    public java.util.List<Account> list() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select name, password_hash, role from account order by name")) {
            java.util.List<Account> out = new java.util.ArrayList<>();
            while (r.next()) {
                out.add(new Account(r.getString(1), r.getString(2), r.getString(3)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read accounts: " + e.getMessage(), e);
        }
    }

    /** What a change of the accounts came to. */
    public enum Outcome {
        /** Made. */
        DONE,
        /** No account has the name. */
        UNKNOWN,
        /** An account already has the name. */
        EXISTS,
        /** Refused: it would leave no account with the operator role, so nobody could manage the others. */
        LAST_OPERATOR
    }

    /** Stores {@code account} unless its name is taken. */
    public Outcome create(Account account) {
        return locked(c -> insert(c, "insert into account (name, password_hash, role) values (?, ?, ?) on conflict "
                + "(name) do nothing", account) ? Outcome.DONE : Outcome.EXISTS);
    }

    /** Runs {@code insert} with the account's name, hash and role; whether it stored a row. */
    private static boolean insert(Connection c, String insert, Account account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(insert)) {
            s.setString(1, account.name());
            s.setString(2, account.passwordHash());
            s.setString(3, account.role());
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Changes account {@code name}'s password hash and role, each unless null. Demoting the last
     * operator is refused.
     */
    public Outcome update(String name, String passwordHash, String role) {
        return locked(c -> {
            Optional<String> current = roleOf(c, name);
            if (current.isEmpty()) {
                return Outcome.UNKNOWN;
            }
            if (role != null && !role.equals(OPERATOR) && current.get().equals(OPERATOR) && operators(c) == 1) {
                return Outcome.LAST_OPERATOR;
            }
            try (PreparedStatement s = c.prepareStatement("update account set password_hash = coalesce(?, "
                    + "password_hash), role = coalesce(?, role) where name = ?")) {
                s.setString(1, passwordHash);
                s.setString(2, role);
                s.setString(3, name);
                s.executeUpdate();
            }
            return Outcome.DONE;
        });
    }

    /** Removes account {@code name}, unless it is the last operator. */
    public Outcome remove(String name) {
        return locked(c -> {
            Optional<String> current = roleOf(c, name);
            if (current.isEmpty()) {
                return Outcome.UNKNOWN;
            }
            if (current.get().equals(OPERATOR) && operators(c) == 1) {
                return Outcome.LAST_OPERATOR;
            }
            try (PreparedStatement s = c.prepareStatement("delete from account where name = ?")) {
                s.setString(1, name);
                s.executeUpdate();
            }
            return Outcome.DONE;
        });
    }

    /** The role that may manage accounts; the check on the last one is about it. */
    private static final String OPERATOR = "operator";

    private static Optional<String> roleOf(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select role from account where name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    private static long operators(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from account where role = ?")) {
            s.setString(1, OPERATOR);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction holding the table's lock, so that two changes made at once
     * cannot both see a second operator and each remove one.
     */
    private <T> T locked(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("lock table account in share row exclusive mode");
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change the accounts: " + e.getMessage(), e);
        }
    }
}
