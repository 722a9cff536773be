package org.cellforge.runner.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.cellforge.engine.ConflictException;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchListener;
import org.cellforge.engine.SearchStatus;
import org.cellforge.persistence.Database;
import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.runner.Cellforge;
import org.cellforge.runner.Datasets;
import org.cellforge.runner.Exports;

/**
 * {@code cellforge search} and {@code cellforge describe}: searches run on this machine against the
 * embedded PostgreSQL (or the one configured), with no web server. Exit codes: 0 success, 1 the search
 * failed or its results could not be written, 2 a usage error.
 */
public final class Main {

    /** Environment variables naming an external database, shared with the server's configuration. */
    static final String URL = "QUARKUS_DATASOURCE_JDBC_URL";
    static final String USER = "QUARKUS_DATASOURCE_USERNAME";
    static final String PASSWORD = "QUARKUS_DATASOURCE_PASSWORD";

    private Main() {
    }

    public static void main(String... args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println("cellforge: " + e.getMessage());
            err.println(e.mode() == null ? "run 'cellforge help' for the modes"
                    : "run 'cellforge " + e.mode() + " --help' for its flags");
            return 2;
        }
        return switch (line) {
            case CommandLine.Help h -> {
                out.print(h.mode().map(CommandLine::usage).orElseGet(CommandLine::usage));
                yield 0;
            }
            case CommandLine.Describe d -> Describe.print(d, out, err);
            case CommandLine.Search s -> search(s, out, err);
            case CommandLine.Server s -> {
                err.println("cellforge: the server runs from the application jar; start it with './cellforge server'");
                yield 2;
            }
        };
    }

    private static int search(CommandLine.Search s, PrintStream out, PrintStream err) {
        Logs.configure(s.verbose());
        EmbeddedDatabase embedded = null;
        String url = System.getenv(URL);
        try {
            if (url == null || url.isBlank()) {
                Path dir = s.dataDir().orElseGet(Main::defaultDataDir).resolve("postgres");
                embedded = EmbeddedDatabase.start(dir);
                url = embedded.jdbcUrl();
            }
            String user = embedded != null ? EmbeddedDatabase.USER : System.getenv().getOrDefault(USER, "");
            String password = embedded != null ? EmbeddedDatabase.USER : System.getenv().getOrDefault(PASSWORD, "");
            try (Database db = Database.connect(url, user, password)) {
                if (embedded != null) {
                    // Only this process can use the embedded database, so whatever is still marked live there
                    // was left by one that stopped; with a shared database other processes may be running it.
                    int interrupted = db.call(em -> new SearchRepository(em)
                            .interruptUnfinished("the process running it stopped before it finished"));
                    if (interrupted > 0) {
                        out.println("cellforge: marked " + interrupted + " search(es) left unfinished by an earlier "
                                + "process as INTERRUPTED");
                    }
                }
                return search(Cellforge.of(db, Datasets.fromEnvironment(), SearchListener.none()), s, out, err);
            }
        } catch (IllegalStateException e) {
            err.println("cellforge: " + e.getMessage());
            return 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static int search(Cellforge cellforge, CommandLine.Search s, PrintStream out, PrintStream err) {
        long id;
        SearchStatus status;
        if (s.resume().isPresent()) {
            id = s.resume().getAsLong();
            SearchRequest request;
            try {
                request = cellforge.checkResume(id);
            } catch (NotFoundException | ConflictException e) {
                err.println("cellforge: --resume: " + e.getMessage());
                return 2;
            }
            Progress progress = new Progress(out, request);
            status = cellforge.resume(id, progress);
            progress.summary(id, status);
        } else {
            try {
                id = cellforge.submit(s.request());
            } catch (InvalidRequestException e) {
                err.println("cellforge: " + CommandLine.flagOf(e.violations().get(0).field()) + ": "
                        + e.violations().get(0).reason());
                return 2;
            }
            Progress progress = new Progress(out, s.request());
            status = cellforge.run(id, progress);
            progress.summary(id, status);
        }
        if (status != SearchStatus.SUCCEEDED) {
            return 1;
        }
        try {
            Exports exports = cellforge.exports();
            int best = exports.bestTrial(id);
            Path json = s.out().toAbsolutePath();
            String stem = json.getFileName().toString().replaceFirst("\\.json$", "");
            writeAtomically(json, exports.trial(id, best, Exports.Format.JSON).bytes());
            Path onnx = json.resolveSibling(stem + Exports.Format.ONNX.suffix());
            writeAtomically(onnx, exports.trial(id, best, Exports.Format.ONNX).bytes());
            Path torch = json.resolveSibling(stem + Exports.Format.PYTORCH.suffix());
            writeAtomically(torch, exports.trial(id, best, Exports.Format.PYTORCH).bytes());
            out.println("exported: " + json + " (architecture, results, provenance)");
            out.println("exported: " + onnx + " (trained network, ONNX)");
            out.println("exported: " + torch + " (PyTorch module with the trained weights)");
            return 0;
        } catch (ConflictException e) {
            err.println("cellforge: nothing to export: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("cellforge: cannot write the export: " + e.getMessage());
            return 1;
        }
    }

    /** Writes through a temporary file and a rename, so a reader never sees half a file. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code CELLFORGE_HOME}, or {@code ~/.cellforge}. */
    public static Path defaultDataDir() {
        String home = System.getenv("CELLFORGE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".cellforge");
    }
}
