package org.cellforge.evaluator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.data.Batches;
import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.supernet.Nb201Supernet;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times training steps of one NB201 network in Cellforge and, in the same invocation, in the
 * PyTorch reference script, and prints both medians with their ratio. The step is what a trial
 * repeats: forward, loss, backward and an SGD-Nesterov update on a Fashion-MNIST batch, batches
 * taken in the same order as the reference takes them.
 */
public final class Bench {

    private static final String USAGE = """
            usage: bench [--mode step|supernet|ranking|collapse] [--arch STR] [--channels C] [--cells N] [--batch B]
                         [--steps S] [--warmup W] [--threads T] [--rounds R] [--paths P]
                         [--reference PATH/torch_reference.py] [--python PYTHON]
            step: training steps of one network against the PyTorch reference (without --reference only
                  Cellforge is timed).
            supernet: single-path supernet steps against stand-alone steps of the same paths, P paths.
            collapse: DARTS with and without the Beta-Decay guard; 'bench --mode collapse --help' for its flags.
            """ + RankingBench.USAGE;

    private Bench() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        try {
            run(args);
        } catch (IllegalArgumentException | IllegalStateException | DatasetException e) {
            // Bad flags, an unknown architecture, missing data or a failing reference: say so, no stack trace.
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws IOException, InterruptedException {
        int mode = Arrays.asList(args).lastIndexOf("--mode");
        if (mode >= 0 && mode + 1 < args.length && args[mode + 1].equals("ranking")) {
            RankingBench.run(args);
            return;
        }
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--mode") && args[i + 1].equals("collapse")) {
                List<String> rest = new ArrayList<>(Arrays.asList(args));
                rest.subList(i, i + 2).clear();
                CollapseBench.main(rest.toArray(String[]::new));
                return;
            }
        }
        Map<String, String> o = new LinkedHashMap<>();
        o.put("arch", "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        o.put("channels", "16");
        o.put("cells", "1");
        o.put("batch", "128");
        o.put("steps", "60");
        o.put("warmup", "10");
        o.put("threads", "2");
        o.put("rounds", "3");
        o.put("python", "/usr/bin/python3");
        o.put("reference", "");
        o.put("mode", "step");
        o.put("paths", "20");
        BenchFlags f = BenchFlags.parse(args, o, USAGE);
        int channels = f.positive("channels");
        int cells = f.positive("cells");
        int batch = f.positive("batch");
        int steps = f.positive("steps");
        int warmup = f.positive("warmup");
        int threads = f.positive("threads");
        int rounds = f.positive("rounds");
        Nb201Cell cell = Nb201Space.standard().parse(f.get("arch"));

        ImageSet train = FashionMnist.train(FashionMnist.installedDirectory().orElseThrow(() -> new IllegalStateException(
                "Fashion-MNIST is not installed: install the " + FashionMnist.DEBIAN_PACKAGE + " package")));
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nb201Macro macro = new Nb201Macro(channels, cells, 1, 10);
        if (f.get("mode").equals("supernet")) {
            supernet(macro, train, batch, f.positive("paths"), threads);
            return;
        } else if (!f.get("mode").equals("step")) {
            System.err.println("bench: --mode must be step, supernet, ranking or collapse, got '" + f.get("mode") + "'");
            System.exit(2);
        }

        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        long params = 0;
        long referenceParams = -1;
        String framework = "";
        // Alternating rounds spread any drift in machine load over both sides.
        for (int round = 0; round < rounds; round++) {
            Network net = Nb201Network.create(cell, macro, round);
            params = net.parameterCount();
            ours.add(cellforge(net, train, batch, steps, warmup));
            if (!f.get("reference").isEmpty()) {
                Map<String, String> ref = reference(f, threads);
                theirs.add(Double.parseDouble(ref.get("ms_per_step")));
                referenceParams = Long.parseLong(ref.get("params"));
                framework = ref.get("framework");
            }
        }
        double a = median(ours);
        System.out.printf(Locale.ROOT, "cellforge  %s C=%d N=%d batch=%d threads=%d params=%d: median %.1f ms/step"
                + " (round medians %s)%n", cell.key(), channels, cells, batch, threads, params, a, rounded(ours));
        if (!theirs.isEmpty()) {
            double b = median(theirs);
            System.out.printf(Locale.ROOT, "reference  %s params=%d: median %.1f ms/step (round medians %s)%n",
                    framework, referenceParams, b, rounded(theirs));
            System.out.printf(Locale.ROOT, "ratio cellforge/reference = %.2f%s%n", a / b,
                    referenceParams == params ? "" : "  (parameter counts differ!)");
        }
        System.out.printf(Locale.ROOT, "peak resident memory %.0f MiB%n", peakResidentMiB());
    }

    /** Median milliseconds of {@code steps} timed training steps after {@code warmup} untimed ones. */
    static double cellforge(Network net, ImageSet train, int batch, int steps, int warmup) {
        Optimizer sgd = Optimizer.of(TrainSettings.defaults(1, 0));
        List<Double> times = new ArrayList<>();
        for (int s = 0; s < warmup + steps; s++) {
            double ms = step(() -> net, sgd, train, batch, s);
            if (s >= warmup) {
                times.add(ms);
            }
        }
        return median(times);
    }

    /** Milliseconds of one training step on batch {@code s}, the network got from {@code net} inside the timing. */
    private static double step(Supplier<Network> net, Optimizer sgd, ImageSet train, int batch, int s) {
        int off = (s * batch) % (train.size() - batch);
        long t = System.nanoTime();
        int[] labels = Arrays.copyOfRange(train.labels(), off, off + batch);
        INDArray x = Batches.range(train, off, off + batch);
        Network n = net.get();
        n.backward(x, labels);
        sgd.step(n.store().weights(), n.store().gradients(), 0.05);
        return (System.nanoTime() - t) / 1e6;
    }

    /**
     * For {@code paths} sampled paths: the median single-path step on a supernet holding every
     * operation of the standard space, against the median step of a stand-alone network of the
     * same path; prints the median of the per-path ratios.
     */
    static void supernet(Nb201Macro macro, ImageSet train, int batch, int paths, int threads) {
        Nb201Supernet supernet = Nb201Supernet.of(Nb201Space.standard(), macro, 0);
        Optimizer sgd = Optimizer.of(TrainSettings.defaults(1, 0));
        SplittableRandom random = new SplittableRandom(1);
        // Warm up as training does, one random path per step, until every operation has run.
        for (int s = 0; s < 40; s++) {
            Nb201Cell cell = Nb201Space.standard().sample(random);
            step(() -> supernet.path(cell), sgd, train, batch, s);
        }
        List<Nb201Cell> cells = new ArrayList<>();
        List<Double> shared = new ArrayList<>();
        for (int p = 0; p < paths; p++) {
            Nb201Cell cell = Nb201Space.standard().sample(random);
            List<Double> a = new ArrayList<>();
            for (int s = 0; s < 5; s++) {
                a.add(step(() -> supernet.path(cell), sgd, train, batch, s));
            }
            cells.add(cell);
            shared.add(median(a));
        }
        // Before any stand-alone network exists, so the figure is the supernet's alone.
        double peak = peakResidentMiB();
        List<Double> ratios = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        for (int p = 0; p < paths; p++) {
            Nb201Cell cell = cells.get(p);
            List<Double> b = new ArrayList<>();
            Network net = Nb201Network.create(cell, macro, p);
            Optimizer own = Optimizer.of(TrainSettings.defaults(1, 0));
            for (int s = 0; s < 7; s++) {
                double ms = step(() -> net, own, train, batch, s);
                if (s >= 2) {
                    b.add(ms);
                }
            }
            alone.add(median(b));
            ratios.add(shared.get(p) / median(b));
        }
        System.out.printf(Locale.ROOT, "supernet C=%d N=%d batch=%d threads=%d, %d weights: single-path step median"
                + " %.1f ms, stand-alone step of the same paths median %.1f ms, median per-path ratio %.2f (%d paths)%n",
                macro.channels(), macro.cellsPerStage(), batch, threads, supernet.parameterCount(), median(shared),
                median(alone), median(ratios), paths);
        System.out.printf(Locale.ROOT, "peak resident memory while training the supernet %.0f MiB%n", peak);
    }

    private static Map<String, String> reference(BenchFlags f, int threads)
            throws IOException, InterruptedException {
        Path script = Path.of(f.get("reference"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("--reference: no file " + script);
        }
        Process p = new ProcessBuilder(f.get("python"), script.toString(), "--arch", f.get("arch"),
                "--channels", f.get("channels"), "--cells", f.get("cells"), "--batch", f.get("batch"),
                "--steps", f.get("steps"), "--warmup", f.get("warmup"), "--threads", String.valueOf(threads))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the reference script failed: " + out);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|[-0-9.eE]+)").matcher(out);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("\"", ""));
        }
        if (!fields.containsKey("ms_per_step")) {
            throw new IllegalStateException("the reference script printed no ms_per_step: " + out);
        }
        return fields;
    }


    private static List<String> rounded(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The process's high-water mark of resident memory (heap and native), from the kernel. */
    static double peakResidentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }
}
