package org.cellforge.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A Cellforge-like process for {@link EmbeddedDatabaseKillTest}: it starts the embedded database on
 * the directory in its first argument, commits as many rows as its second argument says, leaves one
 * more row in an open transaction, reports {@code committed N} and waits to be killed.
 */
public final class DatabaseOwnerMain {

    private DatabaseOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rows = Integer.parseInt(args[1]);
        EmbeddedDatabase db = EmbeddedDatabase.start(dir);
        Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
        try (Statement s = c.createStatement()) {
            s.execute("create table kept (v int primary key)");
            for (int i = 1; i <= rows; i++) {
                s.execute("insert into kept values (" + i + ")");
            }
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("insert into kept values (-1)");
        }
        System.out.println("committed " + rows);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
