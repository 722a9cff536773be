package org.cellforge.web;

import java.nio.file.Path;
import java.util.Optional;

import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.runner.cli.CommandLine;
import org.cellforge.runner.cli.Main;
import org.cellforge.runner.cli.UsageException;
import org.cellforge.web.security.FirstOperator;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of {@code cellforge server}. Starts the embedded PostgreSQL before Quarkus when no
 * datasource URL is configured, so that the application finds a database on first boot.
 */
@QuarkusMain
public final class CellforgeMain {

    private static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";

    /** Set when this process started the embedded database, which no other process can use. */
    public static final String EMBEDDED_PROPERTY = "cellforge.database.embedded";

    private CellforgeMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("user")) {
            // Accounts while no server runs: the database and the password hashing, without Quarkus.
            System.exit(UserCommand.run(java.util.List.of(args).subList(1, args.length), System.in, System.out,
                    System.err));
            return;
        }
        CommandLine.Server server;
        try {
            if (!(CommandLine.parse(args) instanceof CommandLine.Server s)) {
                System.err.println("cellforge: this is the server; run searches with './cellforge search'");
                System.exit(2);
                return;
            }
            server = s;
        } catch (UsageException e) {
            System.err.println("cellforge: " + e.getMessage());
            System.err.println("run 'cellforge server --help' for its flags");
            System.exit(2);
            return;
        }
        System.setProperty("quarkus.http.port", Integer.toString(server.port()));
        System.setProperty("cellforge.workers", Integer.toString(server.workers()));
        Path dataDir = server.dataDir().orElseGet(Main::defaultDataDir);
        System.setProperty(FirstOperator.DATA_DIR_PROPERTY, dataDir.toString());
        EmbeddedDatabase db = null;
        if (externalUrl().isEmpty()) {
            Path dir = dataDir.resolve("postgres");
            try {
                db = EmbeddedDatabase.start(dir);
            } catch (RuntimeException e) {
                System.err.println("cellforge: " + e.getMessage());
                System.exit(1);
                return;
            }
            System.setProperty(URL_PROPERTY, db.jdbcUrl());
            System.setProperty("quarkus.datasource.username", EmbeddedDatabase.USER);
            System.setProperty("quarkus.datasource.password", EmbeddedDatabase.USER);
            System.setProperty(EMBEDDED_PROPERTY, "true");
        }
        EmbeddedDatabase started = db;
        Quarkus.run(CellforgeApp.class, (code, failure) -> {
            if (started != null) {
                started.close();
            }
            if (failure != null) {
                System.err.println("cellforge: " + failure.getMessage());
            }
            System.exit(failure != null && code == 0 ? 1 : code);
        }, args);
    }

    private static Optional<String> externalUrl() {
        return Optional.ofNullable(System.getProperty(URL_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv("QUARKUS_DATASOURCE_JDBC_URL")))
                .filter(s -> !s.isBlank());
    }
}
