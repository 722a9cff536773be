package org.cellforge.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The accounts table: the first account is made once however many servers start together; the schema's checks hold. */
class AccountsTest {

    /** A bcrypt hash in modular crypt form, as the table's check wants; its password does not matter here. */
    private static final String HASH = "$2a$10$abcdefghijklmnopqrstuu5Zz0eG1w0WcX3bqkq3F4e2t7bQvUu6K";

    private static EmbeddedDatabase server;
    private static Database db;
    private Accounts accounts;

    @BeforeAll
    static void start() {
        server = EmbeddedDatabase.startTemporary();
        db = Database.connect(server.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
    }

    @AfterAll
    static void stop() {
        db.close();
        server.close();
    }

    @BeforeEach
    void empty() throws Exception {
        accounts = new Accounts(db.dataSource());
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("delete from account");
        }
    }

    @Test
    void ofServersStartingTogetherExactlyOneMakesTheFirstAccount() throws Exception {
        int servers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> made = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            String name = "operator-" + i;
            Callable<Boolean> start = () -> {
                go.await();
                return accounts.createIfNone(new Accounts.Account(name, HASH, "operator"));
            };
            made.add(pool.submit(start));
        }
        go.countDown();
        int created = 0;
        for (Future<Boolean> f : made) {
            created += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, created);
        assertEquals(1, accounts.count());
        // Once there is an account, no other start makes one.
        assertFalse(accounts.createIfNone(new Accounts.Account("late", HASH, "operator")));
        assertTrue(accounts.find("late").isEmpty());
    }

    @Test
    void theSchemaRefusesPlainPasswordsOddNamesAndUnknownRoles() {
        assertThrows(IllegalStateException.class,
                () -> accounts.createIfNone(new Accounts.Account("alice", "plain-text-password", "operator")));
        assertThrows(IllegalStateException.class,
                () -> accounts.createIfNone(new Accounts.Account("alice; drop table account", HASH, "operator")));
        assertThrows(IllegalStateException.class,
                () -> accounts.createIfNone(new Accounts.Account("alice", HASH, "admin")));
        assertEquals(0, accounts.count());
        assertTrue(accounts.createIfNone(new Accounts.Account("alice", HASH, "viewer")));
        assertEquals("viewer", accounts.find("alice").orElseThrow().role());
        assertTrue(accounts.find("bob").isEmpty());
    }
    @Test
    void accountsAreMadeChangedAndRemovedButTheLastOperatorStays() {
        String other = HASH.replace('u', 'v');
        assertEquals(Accounts.Outcome.DONE, accounts.create(new Accounts.Account("ann", HASH, "operator")));
        assertEquals(Accounts.Outcome.EXISTS, accounts.create(new Accounts.Account("ann", other, "viewer")));
        assertEquals(HASH, accounts.find("ann").orElseThrow().passwordHash(), "a refused create changes nothing");
        assertEquals(Accounts.Outcome.DONE, accounts.create(new Accounts.Account("bob", HASH, "viewer")));
        assertEquals(List.of("ann", "bob"), accounts.list().stream().map(Accounts.Account::name).toList());

        assertEquals(Accounts.Outcome.LAST_OPERATOR, accounts.update("ann", null, "viewer"));
        assertEquals(Accounts.Outcome.LAST_OPERATOR, accounts.remove("ann"));
        assertEquals(Accounts.Outcome.DONE, accounts.update("ann", other, null));
        assertEquals(new Accounts.Account("ann", other, "operator"), accounts.find("ann").orElseThrow(),
                "a null role keeps the role");
        assertEquals(Accounts.Outcome.DONE, accounts.update("bob", null, "operator"));
        assertEquals(HASH, accounts.find("bob").orElseThrow().passwordHash(), "a null hash keeps the password");
        // With a second operator the first may go.
        assertEquals(Accounts.Outcome.DONE, accounts.remove("ann"));
        assertEquals(Accounts.Outcome.UNKNOWN, accounts.remove("ann"));
        assertEquals(Accounts.Outcome.UNKNOWN, accounts.update("ann", other, null));
        assertEquals(Accounts.Outcome.LAST_OPERATOR, accounts.remove("bob"));
    }

    @Test
    void twoOperatorsRemovedAtOnceLeaveOne() throws Exception {
        accounts.create(new Accounts.Account("ann", HASH, "operator"));
        accounts.create(new Accounts.Account("bob", HASH, "operator"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        Future<Accounts.Outcome> a = pool.submit(() -> {
            go.await();
            return accounts.remove("ann");
        });
        Future<Accounts.Outcome> b = pool.submit(() -> {
            go.await();
            return accounts.remove("bob");
        });
        go.countDown();
        List<Accounts.Outcome> outcomes = new ArrayList<>(List.of(a.get(), b.get()));
        pool.shutdown();
        outcomes.sort(null);
        assertEquals(List.of(Accounts.Outcome.DONE, Accounts.Outcome.LAST_OPERATOR), outcomes);
        assertEquals(1, accounts.count());
    }
}
