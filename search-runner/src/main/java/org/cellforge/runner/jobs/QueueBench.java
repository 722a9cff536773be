package org.cellforge.runner.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.cellforge.engine.SearchListener;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.persistence.Database;
import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.runner.Cellforge;
import org.cellforge.runner.Datasets;

/**
 * What trials as jobs cost ({@code cellforge bench --mode queue}): one search of small trials run twice
 * on a fresh PostgreSQL, first on a thread of this process, then coordinated here and trained by a
 * worker process through the job engine; prints both wall times, each trial's wait for a worker and
 * for its coordinator, and the rows and bytes a trial leaves in the database.
 */
public final class QueueBench {

    private QueueBench() {
    }

    public static void main(String... args) throws Exception {
        // The numbers only: the libraries' start-up lines would bury them.
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        int trials = 20;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--trials") && i + 1 < args.length) {
                trials = Integer.parseInt(args[++i]);
            } else if (!args[i].equals("--mode") && !args[i].equals("queue")) {
                System.err.println("usage: cellforge bench --mode queue [--trials N]");
                System.exit(2);
            }
        }
        run(trials, System.out);
        System.exit(0);
    }

    private static SearchRequest request(int trials) {
        return SearchRequest.builder().controller("random").trials(trials).epochs(1).channels(8).trainSize(2000)
                .validationSize(1000).batchSize(128).retrainEpochs(0).threads(1).seed(3L).build();
    }

    static void run(int trials, PrintStream out) throws Exception {
        try (EmbeddedDatabase pg = EmbeddedDatabase.startTemporary();
                Database db = Database.connect(pg.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER)) {
            Cellforge cellforge = Cellforge.of(db, Datasets.fromEnvironment(), SearchListener.none());
            out.printf(Locale.ROOT, "%d trials: random NB201 cells, C=8, 2000 training images, 1 epoch, 1 thread%n",
                    trials);

            long local = cellforge.submitHere(request(trials));
            long start = System.nanoTime();
            SearchStatus s = cellforge.run(local, SearchListener.none());
            double localSeconds = (System.nanoTime() - start) / 1e9;
            report(out, "threads of this process", s, localSeconds, db.dataSource(), local, trials);

            Path log = Files.createTempFile("cellforge-queue-bench-worker", ".log");
            ProcessBuilder b = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx2g", "-cp",
                    System.getProperty("java.class.path"), "org.cellforge.runner.cli.Main", "worker", "--slots", "1")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            b.environment().put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
            b.environment().put("QUARKUS_DATASOURCE_USERNAME", EmbeddedDatabase.USER);
            b.environment().put("QUARKUS_DATASOURCE_PASSWORD", EmbeddedDatabase.USER);
            Process worker = b.start();
            try (JobRunrTrials jobs = JobRunrTrials.on(db.dataSource())) {
                awaitWorker(log, worker);
                long id = cellforge.submitHere(request(trials));
                start = System.nanoTime();
                s = cellforge.engine().coordinate(id, jobs, SearchListener.none());
                double jobSeconds = (System.nanoTime() - start) / 1e9;
                report(out, "JobRunr jobs, one worker process", s, jobSeconds, db.dataSource(), id, trials);
                out.printf(Locale.ROOT, "wall time per trial, jobs minus threads: %.0f ms%n",
                        (jobSeconds - localSeconds) * 1000 / trials);
                storage(out, db.dataSource(), id, trials);
            } finally {
                worker.destroyForcibly();
                Files.deleteIfExists(log);
            }
        }
    }

    private static void awaitWorker(Path log, Process worker) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!Files.readString(log).contains("trains up to")) {
            if (!worker.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker did not start:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private static void report(PrintStream out, String how, SearchStatus status, double seconds, DataSource ds,
            long id, int trials) throws SQLException {
        List<Double> wait = column(ds, "select extract(epoch from claimed_at - created_at) * 1000 from trial "
                + "where search_id = ? order by 1", id);
        List<Double> tell = column(ds, "select extract(epoch from told_at - finished_at) * 1000 from trial "
                + "where search_id = ? order by 1", id);
        List<Double> train = column(ds, "select seconds from trial where search_id = ? order by 1", id);
        out.printf(Locale.ROOT, "%-34s %s in %.1f s (%.2f s per trial, %.0f trials per hour); median per trial: "
                + "waited %.0f ms for a worker, %.0f ms to be told, trained %.2f s%n", how, status, seconds,
                seconds / trials, trials * 3600 / seconds, median(wait), median(tell), median(train));
    }

    private static void storage(PrintStream out, DataSource ds, long id, int trials) throws SQLException {
        Map<String, String> tables = Map.of("trial", "search_id = " + id, "trial_epoch",
                "trial_id in (select id from trial where search_id = " + id + ")", "trial_checkpoint",
                "trial_id in (select id from trial where search_id = " + id + ")", "jobrunr_jobs", "true");
        for (String table : List.of("trial", "trial_epoch", "trial_checkpoint", "jobrunr_jobs")) {
            double rows = column(ds, "select count(*) from " + table + " where " + tables.get(table)).get(0);
            double bytes = column(ds, "select pg_total_relation_size('" + table + "')").get(0);
            // Only the second search's trials were jobs; both searches' trials share the other tables.
            int stored = table.equals("jobrunr_jobs") ? trials : 2 * trials;
            out.printf(Locale.ROOT, "  %-17s %5.1f rows, %8.0f bytes per trial (with indexes and TOAST)%n", table,
                    rows / trials, bytes / stored);
        }
    }

    private static List<Double> column(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Double> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
            return out;
        }
    }

    private static double median(List<Double> sorted) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
}
