package org.cellforge.web;

import java.nio.file.Path;
import java.util.Optional;

import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.web.cli.CommandLine;
import org.cellforge.web.cli.UsageException;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of {@code cellforge}. Starts the embedded PostgreSQL before Quarkus when no
 * datasource URL is configured, so that the application finds a database on first boot.
 */
@QuarkusMain
public final class CellforgeMain {

    private static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";

    private CellforgeMain() {
    }

    public static void main(String... args) {
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (UsageException e) {
            System.err.println("cellforge: " + e.getMessage());
            System.err.println();
            System.err.print(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (line.mode().equals("help")) {
            System.out.print(CommandLine.USAGE);
            return;
        }
        if (line.mode().equals("search")) {
            // The command-line search needs no listener; a free port avoids clashing with a server.
            System.setProperty("quarkus.http.port", "0");
            // Progress lines are the output here; start-up chatter would hide them.
            System.setProperty("quarkus.log.category.\"io.quarkus\".level", "WARN");
        } else {
            System.setProperty("quarkus.http.port", Integer.toString(line.port()));
        }
        EmbeddedDatabase db = null;
        if (externalUrl().isEmpty()) {
            Path dir = line.dataDir().orElseGet(CellforgeMain::defaultDataDir).resolve("postgres");
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

    /** {@code CELLFORGE_HOME}, or {@code ~/.cellforge}. */
    static Path defaultDataDir() {
        String home = System.getenv("CELLFORGE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".cellforge");
    }
}
