package org.cellforge.evaluator.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.proxy.Naswot;
import org.cellforge.evaluator.proxy.NaswotTable;
import org.cellforge.evaluator.supernet.Nb201Supernet;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How well cheap estimates rank NB201 architectures on Fashion-MNIST: N distinct functions of the
 * standard space are trained stand-alone (the reference ranking), then ranked by a single-path
 * weight-sharing supernet trained once on the same split and by the NASWOT proxy at
 * initialization. Prints Kendall's tau-b, Spearman's rho and the top-10 overlap of each estimate
 * against the stand-alone validation accuracies, with the wall time each method took.
 *
 * <p>Candidates: arch strings drawn uniformly with a generator seeded by {@code --seed}, as random
 * search draws them, kept if their canonical class (function) is new and the cell's output depends
 * on its input (a cell whose every path crosses {@code none} trains to chance and has no NASWOT
 * score). Each is built as its class's representative (its first arch string in encoding order,
 * {@link NaswotTable#representatives}): edges the output cannot see are {@code none}, so no network
 * computes, and no NASWOT kernel counts, units the function ignores.
 */
final class RankingBench {

    static final String USAGE = """
            ranking: [--candidates N] [--channels C] [--cells K] [--train-size T] [--val-size V] [--epochs E]
                     [--supernet-epochs S] [--seed X] [--threads P] [--batch B] [--out FILE.tsv]
                     N distinct NB201 functions trained stand-alone for E epochs, against one supernet trained
                     S epochs and the NASWOT proxy: rank correlations and wall times.""";

    /** Images in the batch NASWOT scores a network on, as the search runner and the NASWOT paper use. */
    static final int NASWOT_BATCH = 128;

    /** Networks trained or scored between explicit garbage collections, which free their native arrays. */
    private static final int GC_EVERY = 5;

    /** How many of the best candidates the top-k overlap compares. */
    private static final int TOP = 10;

    private RankingBench() {
    }

    /** One candidate and what each method made of it. */
    private static final class Candidate {
        final String hash;
        final Nb201Cell cell;
        final long parameters;
        double standalone = Double.NaN;
        double standaloneSeconds;
        String failure = "";
        double supernet = Double.NaN;
        double supernetSeconds;
        double naswot = Double.NaN;
        double naswotSeconds;

        Candidate(String hash, Nb201Cell cell, long parameters) {
            this.hash = hash;
            this.cell = cell;
            this.parameters = parameters;
        }
    }

    /** Runs the benchmark with {@code args} (the bench's flags, {@code --mode ranking} among them). */
    static void run(String[] args) throws IOException {
        long start = System.nanoTime();
        Map<String, String> o = new LinkedHashMap<>();
        o.put("mode", "ranking");
        o.put("candidates", "100");
        o.put("channels", "8");
        o.put("cells", "1");
        o.put("train-size", "5000");
        o.put("val-size", "1000");
        o.put("epochs", "1");
        o.put("supernet-epochs", "30");
        o.put("seed", "0");
        o.put("threads", "1");
        o.put("batch", "128");
        o.put("out", "");
        BenchFlags f = BenchFlags.parse(args, o, USAGE);
        int n = f.positive("candidates");
        int channels = f.positive("channels");
        int cells = f.positive("cells");
        int trainSize = f.positive("train-size");
        int valSize = f.positive("val-size");
        int epochs = f.positive("epochs");
        int supernetEpochs = f.positive("supernet-epochs");
        int threads = f.positive("threads");
        int batch = f.positive("batch");
        long seed;
        try {
            seed = Long.parseLong(f.get("seed"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a whole number, got '" + f.get("seed") + "'");
        }
        if (n < 2) {
            throw new IllegalArgumentException("--candidates must be at least 2 to rank anything, got " + n);
        }

        ImageSet all = FashionMnist.train(FashionMnist.installedDirectory().orElseThrow(() -> new IllegalStateException(
                "Fashion-MNIST is not installed: install the " + FashionMnist.DEBIAN_PACKAGE + " package")));
        Split split = Split.of(all, trainSize, valSize, seed);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nb201Space space = Nb201Space.standard();
        Nb201Macro macro = new Nb201Macro(channels, cells, FashionMnist.CHANNELS, FashionMnist.CLASSES);
        TrainSettings standaloneSettings = TrainSettings.defaults(epochs, seed).withBatchSize(batch)
                .withThreads(threads);
        TrainSettings supernetSettings = TrainSettings.defaults(supernetEpochs, seed).withBatchSize(batch)
                .withThreads(threads);

        int[] drawn = new int[2];
        List<Candidate> candidates = sample(space, macro, n, seed, drawn);
        System.out.println("ranking bench " + flagLine(o));
        System.out.printf(Locale.ROOT, "%d candidates: distinct non-degenerate canonical classes of %s, from %d"
                + " uniformly drawn arch strings (%d repeated a class already drawn, %d had no path input->output)%n",
                n, space, drawn[0], drawn[0] - n - drawn[1], drawn[1]);

        // 1. Stand-alone: every candidate trained from scratch, as a search's trial trains it.
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Candidate c = candidates.get(i);
            long t = System.nanoTime();
            TrainingResult r = Trainer.train(Nb201Network.create(c.cell, macro, seed), split, standaloneSettings,
                    EpochListener.none());
            c.standaloneSeconds = seconds(t);
            c.standalone = r.succeeded() ? r.validationAccuracy() : Double.NaN;
            c.failure = r.failure().orElse("");
            progress("stand-alone", i, n, c, c.standalone, c.standaloneSeconds, t0);
            collect(i);
        }
        double standaloneWall = seconds(t0);

        // 2. Weight sharing: one supernet, then every candidate scored with inherited weights.
        long t1 = System.nanoTime();
        Nb201Supernet supernet = Nb201Supernet.of(space, macro, seed);
        TrainingResult trained = supernet.train(split, supernetSettings, EpochListener.observing(m ->
                System.err.printf(Locale.ROOT, "supernet epoch %d/%d: loss %.4f, sampled path validation %.4f,"
                        + " %.1f s%n", m.epoch(), supernetEpochs, m.trainLoss(), m.validationAccuracy(), m.seconds())));
        double supernetTrainWall = seconds(t1);
        if (!trained.succeeded()) {
            // The stand-alone results took long: keep them, with no supernet estimates.
            System.err.println("supernet training failed, no estimates: " + trained.failure().orElse("?"));
        }
        long t2 = System.nanoTime();
        try (Trainer.ThreadSetting _ = Trainer.useThreads(threads)) {
            // The batches the supernet's own validation recalibrates on.
            List<INDArray> calibration = Trainer.calibrationBatches(split.train(), batch,
                    supernetSettings.calibrationBatches());
            for (int i = 0; i < n && trained.succeeded(); i++) {
                Candidate c = candidates.get(i);
                long t = System.nanoTime();
                c.supernet = supernet.score(c.cell, calibration, split.validation());
                c.supernetSeconds = seconds(t);
                progress("supernet estimate", i, n, c, c.supernet, c.supernetSeconds, t2);
                collect(i);
            }
        }
        double supernetScoreWall = seconds(t2);
        double sharingWall = supernetTrainWall + supernetScoreWall;

        // 3. NASWOT at initialization, on the networks' stand-alone initial weights.
        long t3 = System.nanoTime();
        try (Trainer.ThreadSetting _ = Trainer.useThreads(threads)) {
            for (int i = 0; i < n; i++) {
                Candidate c = candidates.get(i);
                long t = System.nanoTime();
                c.naswot = Naswot.score(Nb201Network.create(c.cell, macro, seed), split.train(), NASWOT_BATCH);
                c.naswotSeconds = seconds(t);
                progress("naswot", i, n, c, c.naswot, c.naswotSeconds, t3);
                collect(i);
            }
        }
        double naswotWall = seconds(t3);

        // 4. The per-architecture table first, so that a failure below loses nothing.
        String flags = flagLine(o);
        if (!f.get("out").isEmpty()) {
            write(Path.of(f.get("out")), candidates, flags);
        }
        double[] reference = candidates.stream().mapToDouble(c -> c.standalone).filter(v -> !Double.isNaN(v))
                .toArray();
        long failed = n - reference.length;
        int top = Math.min(TOP, reference.length);
        double best = reference.length == 0 ? Double.NaN : Arrays.stream(reference).max().orElseThrow();

        // 5. Report.
        System.out.println();
        System.out.printf(Locale.ROOT, "NB201 on Fashion-MNIST: C=%d, %d cell(s) per stage, train %d / validation %d"
                + " images, batch %d, %d thread(s); stand-alone %d epoch(s) each, supernet %d epoch(s)"
                + " (uniform single-path, BatchNorm recalibrated on %d training batches before each estimate),"
                + " NASWOT on %d training images at initialization%n", channels, cells, trainSize, valSize, batch,
                threads, epochs, supernetEpochs, supernetSettings.calibrationBatches(), NASWOT_BATCH);
        System.out.printf(Locale.ROOT, "ranked against stand-alone validation accuracy: %d of %d candidates%s;"
                + " stand-alone accuracy median %.4f, best %.4f%n", reference.length, n,
                failed == 0 ? "" : " (" + failed + " failed to train and are left out)",
                reference.length == 0 ? Double.NaN : median(reference), best);
        System.out.println();
        System.out.printf(Locale.ROOT, "| method | Kendall tau-b | Spearman rho | top-%d overlap | stand-alone acc of"
                + " its top pick | wall s | s per candidate |%n", top);
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| stand-alone (E=%d, the reference) | 1 | 1 | 1 | %.4f | %.1f | %.2f |%n",
                epochs, best, standaloneWall, standaloneWall / n);
        row("weight sharing (supernet S=" + supernetEpochs + ")", candidates, c -> c.supernet, top, sharingWall);
        row("NASWOT (at init)", candidates, c -> c.naswot, top, naswotWall);
        System.out.println();
        System.out.printf(Locale.ROOT, "weight-sharing wall / stand-alone wall = %.3f (supernet training %.1f s +"
                + " %d estimates %.1f s, against %d trainings %.1f s); NASWOT / stand-alone = %.4f%n",
                sharingWall / standaloneWall, supernetTrainWall, n, supernetScoreWall, n, standaloneWall,
                naswotWall / standaloneWall);
        System.out.printf(Locale.ROOT, "median seconds per candidate: stand-alone training %.2f,"
                + " supernet estimate %.3f, NASWOT score %.3f; supernet training %.1f s per epoch (median)%n",
                median(candidates.stream().map(c -> c.standaloneSeconds).toList()),
                median(candidates.stream().map(c -> c.supernetSeconds).toList()),
                median(candidates.stream().map(c -> c.naswotSeconds).toList()),
                median(trained.epochs().stream().map(m -> m.seconds()).toList()));
        System.out.printf(Locale.ROOT, "whole run %.1f s; peak resident memory %.0f MiB; %d cores, load average"
                + " (1, 5, 15 min) at the end %s: times are wall times, so other load inflates them%n", seconds(start),
                Bench.peakResidentMiB(), Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.println("flags: " + flags);
        if (!f.get("out").isEmpty()) {
            System.out.println("per-architecture table: " + f.get("out"));
        }
    }

    /**
     * {@code n} distinct non-degenerate canonical classes, each as its representative, in the order
     * their first arch string was drawn. {@code drawn[0]} receives the number of arch strings drawn,
     * {@code drawn[1]} how many of them were degenerate.
     */
    static List<Candidate> sample(Nb201Space space, Nb201Macro macro, int n, long seed, int[] drawn) {
        Map<String, Nb201Cell> representative = new HashMap<>();
        long available = 0;
        for (Nb201Cell r : NaswotTable.representatives(space)) {
            representative.put(space.canonical(r).hash(), r);
            if (!NaswotTable.degenerate(space, r)) {
                available++;
            }
        }
        if (n > available) {
            throw new IllegalArgumentException("--candidates " + n + " exceeds the " + available
                    + " non-degenerate canonical classes of " + space);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Candidate> chosen = new LinkedHashMap<>();
        while (chosen.size() < n) {
            Nb201Cell cell = space.sample(random);
            drawn[0]++;
            if (NaswotTable.degenerate(space, cell)) {
                drawn[1]++;
                continue;
            }
            String hash = space.canonical(cell).hash();
            Nb201Cell r = representative.get(hash);
            chosen.computeIfAbsent(hash, h -> new Candidate(h, r, macro.parameters(r)));
        }
        return new ArrayList<>(chosen.values());
    }

    /**
     * One line of the table: the estimate against the stand-alone accuracy over the candidates that
     * have both (a failed training or a missing estimate leaves a candidate out of this line).
     */
    private static void row(String method, List<Candidate> candidates, ToDoubleFunction<Candidate> estimate, int top,
            double wall) {
        double[] ref = candidates.stream().filter(c -> !Double.isNaN(c.standalone) && !Double.isNaN(
                estimate.applyAsDouble(c))).mapToDouble(c -> c.standalone).toArray();
        double[] est = candidates.stream().filter(c -> !Double.isNaN(c.standalone) && !Double.isNaN(
                estimate.applyAsDouble(c))).mapToDouble(estimate).toArray();
        boolean enough = ref.length >= 2;
        int k = Math.min(top, ref.length);
        String pairs = ref.length == candidates.stream().filter(c -> !Double.isNaN(c.standalone)).count() ? ""
                : " [" + ref.length + " candidates]";
        System.out.printf(Locale.ROOT, "| %s%s | %s | %s | %s | %s | %.1f | %.3f |%n", method, pairs,
                enough ? fixed(RankCorrelation.kendallTauB(est, ref)) : "n/a",
                enough ? fixed(RankCorrelation.spearman(est, ref)) : "n/a",
                enough ? fixed(RankCorrelation.topOverlap(est, ref, k)) : "n/a",
                enough ? String.format(Locale.ROOT, "%.4f", ref[RankCorrelation.top(est, 1)[0]]) : "n/a",
                wall, wall / candidates.size());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void write(Path out, List<Candidate> candidates, String flags) throws IOException {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("# ranking bench " + flags + "\n");
            w.write(String.join("\t", "index", "hash", "arch", "parameters", "standalone_acc", "standalone_s",
                    "supernet_acc", "supernet_s", "naswot", "naswot_s", "failure") + "\n");
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                w.write(String.join("\t", String.valueOf(i), c.hash, c.cell.key(), String.valueOf(c.parameters),
                        String.valueOf(c.standalone), fixed(c.standaloneSeconds), String.valueOf(c.supernet),
                        fixed(c.supernetSeconds), String.valueOf(c.naswot), fixed(c.naswotSeconds),
                        c.failure.replace('\t', ' ').replace('\n', ' ')) + "\n");
            }
        }
    }

    private static void progress(String stage, int i, int n, Candidate c, double value, double s, long stageStart) {
        System.err.printf(Locale.ROOT, "%s %d/%d %s: %.4f in %.2f s (stage %.0f s)%n", stage, i + 1, n, c.cell.key(),
                value, s, seconds(stageStart));
    }

    private static void collect(int i) {
        if ((i + 1) % GC_EVERY == 0) {
            // A finished network's native arrays are freed once its Java wrappers are collected.
            System.gc();
        }
    }

    private static String flagLine(Map<String, String> o) {
        StringBuilder b = new StringBuilder();
        o.forEach((k, v) -> {
            if (!v.isEmpty()) {
                b.append(b.isEmpty() ? "" : " ").append("--").append(k).append(' ').append(v);
            }
        });
        return b.toString();
    }


    private static double median(double[] values) {
        return Bench.median(Arrays.stream(values).boxed().toList());
    }

    private static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : Bench.median(values);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
