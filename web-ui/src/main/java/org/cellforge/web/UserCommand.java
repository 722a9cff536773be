package org.cellforge.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cellforge.engine.ConflictException;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.NotFoundException;
import org.cellforge.persistence.Database;
import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.runner.cli.Main;
import org.cellforge.web.security.AccountService;
import org.cellforge.web.security.AccountService.AccountInfo;
import org.cellforge.web.security.FirstOperator;

/**
 * {@code cellforge user}: the database accounts while no server runs, chiefly to get back in when
 * the only operator's password is lost. The same service as the Accounts page and
 * {@code /api/accounts}, with the same checks; while a server holds the embedded database, those are
 * the way.
 */
final class UserCommand {

    static final String USAGE = """
            usage: cellforge user ACTION [--data-dir DIR] [--password-stdin]
              list                     the accounts and their roles
              add NAME [--role ROLE]   a new account (viewer, or operator)
              passwd NAME              a new password for NAME
              role NAME ROLE           make NAME a viewer or an operator
              remove NAME              remove NAME (not the last operator)
            A new password is made and printed once, unless --password-stdin reads it from the first
            line of standard input. The embedded database in DIR [~/.cellforge] is used, or the one
            QUARKUS_DATASOURCE_JDBC_URL names.""";

    private UserCommand() {
    }

    /** Runs {@code args} (after {@code user}); the exit code. */
    static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        List<String> positional = new ArrayList<>();
        Optional<Path> dataDir = Optional.empty();
        String role = null;
        boolean stdin = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--password-stdin" -> stdin = true;
                case "--data-dir", "--role" -> {
                    if (i + 1 >= args.size()) {
                        return usage(err, a + ": a value is required");
                    }
                    if (a.equals("--role")) {
                        role = args.get(++i);
                    } else {
                        dataDir = Optional.of(Path.of(args.get(++i)));
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        return usage(err, "unknown flag '" + a + "'");
                    }
                    positional.add(a);
                }
            }
        }
        if (positional.isEmpty()) {
            return usage(err, "an action is required");
        }
        String action = positional.get(0);
        int names = switch (action) {
            case "list" -> 0;
            case "add", "passwd", "remove" -> 1;
            case "role" -> 2;
            default -> -1;
        };
        if (names < 0) {
            return usage(err, "unknown action '" + action + "'");
        }
        if (positional.size() != names + 1) {
            return usage(err, action + ": expected " + (names == 0 ? "no name" : names == 1 ? "one account name"
                    : "an account name and a role") + ", got " + (positional.size() - 1) + " argument(s)");
        }
        if (role != null && !action.equals("add")) {
            return usage(err, "--role: only for add; use 'cellforge user role NAME ROLE'");
        }
        Path dir = dataDir.orElseGet(Main::defaultDataDir);
        System.setProperty(FirstOperator.DATA_DIR_PROPERTY, dir.toString());
        String url = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        EmbeddedDatabase embedded = null;
        try {
            if (url == null || url.isBlank()) {
                try {
                    embedded = EmbeddedDatabase.start(dir.resolve("postgres"));
                } catch (EmbeddedDatabase.InUseException e) {
                    err.println("cellforge: " + e.getMessage());
                    err.println("cellforge: while a server runs on it, manage accounts on the server's Accounts "
                            + "page or with /api/accounts");
                    return 1;
                } catch (IllegalStateException e) {
                    // A directory that cannot be made or a server that cannot start: no server is to blame.
                    err.println("cellforge: " + e.getMessage());
                    return 1;
                }
                url = embedded.jdbcUrl();
            }
            String user = embedded != null ? EmbeddedDatabase.USER : System.getenv()
                    .getOrDefault("QUARKUS_DATASOURCE_USERNAME", "");
            String password = embedded != null ? EmbeddedDatabase.USER : System.getenv()
                    .getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "");
            try (Database db = Database.connect(url, user, password)) {
                return act(new AccountService(db.dataSource()), action, positional, role, stdin ? readLine(in)
                        : null, out);
            }
        } catch (InvalidRequestException e) {
            err.println("cellforge: " + e.violations().get(0).field() + ": " + e.violations().get(0).reason());
            return 2;
        } catch (ConflictException | NotFoundException e) {
            err.println("cellforge: " + e.getMessage());
            return 1;
        } catch (IllegalStateException | IOException e) {
            err.println("cellforge: " + e.getMessage());
            return 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static int act(AccountService accounts, String action, List<String> positional, String role,
            String password, PrintStream out) {
        switch (action) {
            case "list" -> accounts.list().forEach(a -> out.println(a.name() + "  " + a.role()));
            case "add" -> print(out, accounts.create(positional.get(1), role == null ? "viewer" : role, password),
                    "made with the role");
            case "passwd" -> print(out, accounts.change(positional.get(1), null, password, password == null),
                    "has a new password; role");
            case "role" -> print(out, accounts.change(positional.get(1), positional.get(2), null, false),
                    "now has the role");
            case "remove" -> {
                accounts.remove(positional.get(1));
                out.println("account " + positional.get(1) + " removed");
            }
            default -> throw new IllegalArgumentException(action);
        }
        return 0;
    }

    private static void print(PrintStream out, AccountInfo a, String what) {
        out.println("account " + a.name() + " " + what + " " + a.role());
        if (a.password() != null) {
            out.println("password of " + a.name() + ": " + a.password() + " (shown this once)");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw InvalidRequestException.of("password", "--password-stdin: standard input is empty");
        }
        return line;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("cellforge: user: " + problem);
        err.println(USAGE);
        return 2;
    }
}
