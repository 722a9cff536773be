package org.cellforge.runner.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

import org.cellforge.engine.ConflictException;
import org.cellforge.engine.FileReasons;
import org.cellforge.evaluator.data.Dataset;
import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.Retraining;
import org.cellforge.engine.SearchRequest;
import org.cellforge.evaluator.export.OnnxExport;
import org.cellforge.engine.SearchListener;
import org.cellforge.persistence.Shutdown;
import org.cellforge.runner.CheckpointRetention;
import org.cellforge.engine.SearchStatus;
import org.cellforge.persistence.Database;
import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.runner.jobs.JobRunrTrials;
import org.cellforge.runner.jobs.SearchLocks;
import org.cellforge.runner.Cellforge;
import org.cellforge.runner.Datasets;
import org.cellforge.runner.Exports;
import org.cellforge.runner.OnnxCheck;

/**
 * {@code cellforge search}, {@code describe}, {@code verify} and {@code worker}: searches run on this
 * machine against the embedded PostgreSQL (or the one configured), with no web server. Exit codes: 0
 * success, 1 the search failed or its results could not be written (for {@code verify}: ONNX Runtime
 * disagrees with the recorded accuracy), 2 a usage error.
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
            case CommandLine.Verify v -> verify(v, out, err);
            case CommandLine.Search s -> search(s, out, err);
            case CommandLine.Worker w -> worker(w, out, err);
            case CommandLine.Server s -> {
                err.println("cellforge: the server runs from the application jar; start it with './cellforge server'");
                yield 2;
            }
        };
    }

    /** How an exported graph predicts, as {@code verify} tells it; empty for images as they are. */
    static String inGraph(String recorded) {
        if (!Retraining.TEST_TIME_AUGMENTATIONS.contains(recorded)) {
            return "; its graph records test-time augmentation '" + recorded + "', unknown to this version";
        }
        return Retraining.testedAs(recorded).map(a -> "; in its graph, " + a).orElse("");
    }

    /** Largest difference between ONNX Runtime's accuracy and the recorded one that counts as the same. */
    static final double VERIFY_TOLERANCE = 0.001;

    private static int verify(CommandLine.Verify v, PrintStream out, PrintStream err) {
        Logs.configure(false);
        byte[] model;
        try {
            model = Files.readAllBytes(v.model());
        } catch (IOException e) {
            err.println("cellforge: verify: " + v.model() + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "" : "cannot be read: ") + FileReasons.of(e, v.model()));
            return 2;
        }
        try {
            String dataset = v.dataset().or(() -> Optional.ofNullable(OnnxCheck.metadata(model)
                    .get("cellforge.dataset"))).orElse(SearchRequest.FASHION_MNIST);
            Dataset data = Datasets.fromEnvironment().load(dataset);
            if (data.test().isEmpty()) {
                err.println("cellforge: verify: " + dataset + " has no test split");
                return 2;
            }
            OnnxCheck.Result r = OnnxCheck.check(model, data.test().get());
            // A trial's network measured on the test split is not a result the search reported: say so.
            String kind = (r.recorded().isPresent() ? "retrained test"
                    : "test split, on a network not retrained after its trial")
                    + inGraph(OnnxCheck.metadata(model).getOrDefault(OnnxExport.TEST_TIME_AUGMENTATION_KEY,
                            Retraining.NO_TEST_TIME_AUGMENTATION));
            out.printf(Locale.ROOT, "ONNX Runtime: accuracy %.4f (%s) on the %d test images of %s%n", r.accuracy(),
                    kind, r.images(), dataset);
            if (r.recorded().isEmpty()) {
                out.println("the file records no retrained test accuracy to compare with (a trial's network is "
                        + "validated, not tested); nothing was compared");
                return 0;
            }
            out.printf(Locale.ROOT, "recorded at retraining (retrained test, Cellforge's evaluator): %.4f; difference "
                    + "%.4f, %s%n", r.recorded().getAsDouble(), r.accuracy() - r.recorded().getAsDouble(),
                    r.agrees(VERIFY_TOLERANCE) ? "within " + VERIFY_TOLERANCE : "MORE than " + VERIFY_TOLERANCE);
            return r.agrees(VERIFY_TOLERANCE) ? 0 : 1;
        } catch (IllegalArgumentException | IllegalStateException | DatasetException e) {
            // Unreadable models, missing datasets and bad settings (the dataset cache) are the user's to fix.
            err.println("cellforge: verify: " + e.getMessage());
            return 2;
        }
    }

    private static int search(CommandLine.Search s, PrintStream out, PrintStream err) {
        Logs.configure(s.verbose());
        Optional<String> unwritable = unwritable(s.out());
        if (unwritable.isPresent()) {
            err.println("cellforge: --out " + s.out() + ": " + unwritable.get());
            return 2;
        }
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
                // Searches other processes left unfinished are not touched: a server taking them over, or
                // '--resume', continues them.
                return search(Cellforge.of(db, Datasets.fromEnvironment(), CheckpointRetention.keepBest(db,
                                s.keepCheckpoints())),
                        new SearchLocks(db.dataSource()), s, out, err);
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

    private static int search(Cellforge cellforge, SearchLocks locks, CommandLine.Search s, PrintStream out,
            PrintStream err) {
        long id;
        SearchStatus status;
        if (s.resume().isPresent()) {
            id = s.resume().getAsLong();
            Optional<SearchLocks.Lock> lock = locks.tryLock(id);
            if (lock.isEmpty()) {
                err.println("cellforge: --resume: search " + id + " is coordinated by another process; it goes on "
                        + "there");
                return 2;
            }
            try (SearchLocks.Lock held = lock.get()) {
                SearchRequest request;
                try {
                    request = resumable(cellforge, id);
                } catch (NotFoundException | ConflictException e) {
                    err.println("cellforge: --resume: " + e.getMessage());
                    return 2;
                }
                Progress progress = new Progress(out, request);
                progress.earlier(id, cellforge.store().load(id).trials());
                try (StopOnExit stop = new StopOnExit(cellforge, id)) {
                    status = cellforge.store().status(id) == SearchStatus.INTERRUPTED ? cellforge.resume(id, progress)
                            : cellforge.run(id, progress);
                    if (stopped(id, out)) {
                        return STOPPED;
                    }
                    progress.summary(id, status);
                }
            }
        } else {
            try {
                id = cellforge.submitHere(s.request());
            } catch (InvalidRequestException e) {
                // Only the dataset's files are checked here, after the flags and the recipe were.
                err.println("cellforge: " + s.names().of(e.violations().get(0).field()) + ": "
                        + e.violations().get(0).reason());
                return 2;
            }
            try (SearchLocks.Lock held = locks.tryLock(id).orElseThrow(() -> new IllegalStateException(
                    "search " + id + " was taken up by another process as soon as it was stored"))) {
                Progress progress = new Progress(out, s.request());
                try (StopOnExit stop = new StopOnExit(cellforge, id)) {
                    status = cellforge.run(id, progress);
                    if (stopped(id, out)) {
                        return STOPPED;
                    }
                    progress.summary(id, status);
                }
            }
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
            err.println("cellforge: cannot write the exports to " + s.out().toAbsolutePath() + ": "
                    + FileReasons.of(e, s.out()) + "; search " + id + " is stored, and the server's dashboard and REST API export it");
            return 1;
        }
    }

    /**
     * Why the exports could not be written at {@code out}, found before the search rather than after
     * it; empty if they can. The check writes and removes a file, since permissions alone do not tell
     * (a read-only file system, or a user the permissions do not bind).
     */
    static Optional<String> unwritable(Path out) {
        Path file = out.toAbsolutePath();
        if (Files.isDirectory(file)) {
            return Optional.of("is a directory; give the file to write, such as " + file.resolve("best-genotype.json"));
        }
        // Probed in the nearest directory that exists: the missing ones are made only when the exports are
        // written, so a search refused for another reason leaves none behind.
        Path dir = file.getParent();
        Path existing = dir;
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            return Optional.of("cannot write in " + dir + ": " + existing + " is a file, not a directory");
        }
        try {
            Files.delete(Files.createTempFile(existing, ".cellforge-", ".probe"));
            return Optional.empty();
        } catch (IOException e) {
            // The failure names the probe's random file; the directory is what the user can act on.
            return Optional.of("cannot write in " + existing + ": " + FileReasons.of(e));
        }
    }

    /**
     * The request of search {@code id} if this process can continue it: INTERRUPTED (cancelled or stopped),
     * PAUSED (resumed here), or RUNNING and RETRAINING with no process coordinating it (the caller holds
     * its lock).
     *
     * @throws ConflictException naming the reason otherwise
     */
    private static SearchRequest resumable(Cellforge cellforge, long id) {
        SearchStatus status = cellforge.store().status(id);
        if (status == SearchStatus.INTERRUPTED) {
            return cellforge.checkResume(id);
        }
        if (status == SearchStatus.PAUSED) {
            cellforge.store().unpaused(id);
        } else if (!status.live()) {
            throw new ConflictException("search " + id + " is " + status + "; only an INTERRUPTED or PAUSED search, "
                    + "or one whose process stopped, can be resumed");
        }
        return cellforge.store().load(id).request();
    }

    /** Exit code when the process was stopped; the JVM's own (128 + the signal) is what a shell sees. */
    private static final int STOPPED = 1;

    /**
     * Whether this process is being stopped; then what the search came to is what the shutdown recorded,
     * not the failure its cut connections made, and that is said instead of a summary.
     */
    private static boolean stopped(long id, PrintStream out) {
        if (!Shutdown.started()) {
            return false;
        }
        out.println("search " + id + " INTERRUPTED: this process was stopped before the search ended");
        return true;
    }

    /**
     * While open, stopping this process (Ctrl-C, SIGTERM) ends search {@code id} as INTERRUPTED before
     * the embedded database stops: it is recorded so, the searching thread is interrupted, and the
     * shutdown waits (a bounded time) until this is closed, after the search's last line is printed.
     * Otherwise the database stopped under the search, which then reported a failure.
     */
    private static final class StopOnExit implements AutoCloseable {

        /** How long the shutdown waits for the search to wind down: a training notices between epochs. */
        private static final long WAIT_SECONDS = 30;

        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        private final Shutdown.Step step;

        StopOnExit(Cellforge cellforge, long id) {
            Thread searching = Thread.currentThread();
            step = Shutdown.first(() -> {
                try {
                    cellforge.store().cancelled(id);
                    System.err.println("cellforge: stopped; search " + id + " is recorded as INTERRUPTED");
                } catch (RuntimeException e) {
                    // Ended meanwhile: it stays as stored.
                }
                searching.interrupt();
                try {
                    done.await(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        @Override
        public void close() {
            done.countDown();
            step.close();
        }
    }

    /**
     * {@code cellforge worker}: trains trials from the shared database until the process is stopped.
     * A stopped worker's trials are delivered again by the job engine.
     */
    private static int worker(CommandLine.Worker w, PrintStream out, PrintStream err) {
        Logs.configure(false);
        String url = System.getenv(URL);
        if (url == null || url.isBlank()) {
            err.println("cellforge: a worker trains the trials of a server's searches, so it needs the server's "
                    + "database: set " + URL + ", " + USER + " and " + PASSWORD);
            return 2;
        }
        Database db;
        try {
            db = Database.connect(url, System.getenv().getOrDefault(USER, ""), System.getenv().getOrDefault(PASSWORD,
                    ""));
        } catch (IllegalStateException e) {
            err.println("cellforge: " + e.getMessage());
            return 1;
        }
        Cellforge cellforge = Cellforge.of(db, Datasets.fromEnvironment(), SearchListener.none());
        JobRunrTrials trials = JobRunrTrials.on(db.dataSource());
        String name = org.cellforge.engine.TrialWorker.processName();
        trials.startWorker(w.slots(), cellforge.worker(), cellforge::checkDataset, name);
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            trials.close();
            db.close();
            stopped.countDown();
        }, "cellforge-worker-stop"));
        out.println("cellforge: worker " + name + " trains up to " + w.slots() + " trial(s) at once from " + url.replaceFirst("\\?.*", ""));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
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
