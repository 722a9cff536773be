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
}
