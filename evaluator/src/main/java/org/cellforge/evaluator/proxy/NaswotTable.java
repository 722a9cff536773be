package org.cellforge.evaluator.proxy;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.cellforge.evaluator.data.Batches;
import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.space.CellExpression;
import org.cellforge.space.Encoding;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes the NASWOT score of every function of the standard NAS-Bench-201 space at one seed and on
 * one batch: an objective whose optimum is known, on which controller tests run search strategies
 * without training anything. One row per canonical class, scored on its first arch string in
 * encoding order, so the table is fixed by the settings below and the space alone.
 *
 * <p>Run by hand, never by the test suite (it takes minutes):
 * {@code NaswotTable OUTPUT.tsv [FASHION_MNIST_DIR]}; without a directory the installed Debian
 * package's files are read.
 */
public final class NaswotTable {

    /** The network around each cell: small, so that all classes are scored in minutes. */
    public static final Nb201Macro MACRO = new Nb201Macro(16, 1, FashionMnist.CHANNELS, FashionMnist.CLASSES);

    /** Seed of every network's weights. */
    public static final long SEED = 0;

    /** Number of training images, from the first, in the batch every network is scored on. */
    public static final int BATCH = 64;

    /** Where the table lives, from the project root. */
    public static final String TABLE = "controllers/src/test/resources/org/cellforge/controller/nb201-naswot.tsv";

    /** The command, run from the project root, that writes {@link #TABLE}. */
    public static final String COMMAND = "./mvnw -B -q -o -pl evaluator -am compile dependency:build-classpath"
            + " -Dmdep.outputFile=target/classpath.txt && \"$JAVA_HOME/bin/java\" --enable-native-access=ALL-UNNAMED"
            + " -cp \"evaluator/target/classes:$(cat evaluator/target/classpath.txt)\" "
            + NaswotTable.class.getName() + " " + TABLE;

    /** Networks scored between explicit garbage collections. */
    private static final int GC_EVERY = 10;

    /** Column names, in order. */
    public static final List<String> COLUMNS = List.of("hash", "arch", "score", "parameters", "flops");

    /**
     * One canonical class.
     *
     * @param hash the class's canonical hash
     * @param representative its first arch string in encoding order
     * @param score NASWOT score of the representative's network, minus infinity for a degenerate cell
     * @param parameters trainable parameters of that network
     * @param flops its multiply-accumulates per {@link FashionMnist#SIDE}-pixel-square image
     */
    public record Row(String hash, Nb201Cell representative, double score, long parameters, long flops) {

        public Row {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(representative, "representative");
        }

        /** The row as a line of the table, without the line break; the score in round-trip form. */
        public String tsv() {
            return String.join("\t", hash, representative.key(), Double.toString(score), Long.toString(parameters),
                    Long.toString(flops));
        }
    }

    private NaswotTable() {
    }

    /**
     * The first member of every canonical class of {@code space}, in encoding order: gene vectors
     * compared lexicographically, the edge 0-&gt;1 first, genes numbering the space's operations in
     * its order. Changing an edge the output cannot see to operation 0 keeps the function, so when
     * operation 0 is {@code none} a representative has {@code none} on every such edge and its
     * network holds no ReLU that the cell's function ignores.
     */
    public static List<Nb201Cell> representatives(Nb201Space space) {
        Encoding<Nb201Cell> encoding = space.encoding();
        Map<String, Nb201Cell> first = new LinkedHashMap<>();
        int[] genes = new int[encoding.length()];
        do {
            Nb201Cell cell = encoding.decode(genes);
            first.putIfAbsent(space.canonical(cell).hash(), cell);
        } while (next(genes, encoding));
        return List.copyOf(first.values());
    }

    /** Steps {@code genes} to its lexicographic successor; false after the last vector. */
    private static boolean next(int[] genes, Encoding<?> encoding) {
        for (int p = genes.length - 1; p >= 0; p--) {
            if (++genes[p] < encoding.cardinality(p)) {
                return true;
            }
            genes[p] = 0;
        }
        return false;
    }

    /**
     * Whether the output of {@code cell} ignores its input: every path from input to output crosses
     * {@code none}. Such a network sees the same activations for every image, so its kernel is
     * singular and it has no finite score.
     */
    public static boolean degenerate(Nb201Space space, Nb201Cell cell) {
        return space.canonical(cell).expression().equals(CellExpression.ZERO.toString());
    }

    /**
     * The row of {@code cell}: its network at {@code macro} with weights from {@code seed}, scored on
     * {@code batch} (NHWC), with the macro's parameter and FLOP counts at the batch's image size.
     *
     * @throws IllegalStateException if the network's parameters differ from the macro's count, or if the
     *     score is not finite for a cell that depends on its input (or finite for one that does not): the
     *     table promises that only degenerate cells lack a finite score
     */
    public static Row row(Nb201Space space, Nb201Cell cell, Nb201Macro macro, long seed, INDArray batch) {
        Network net = Nb201Network.create(cell, macro, seed);
        long parameters = macro.parameters(cell);
        if (net.parameterCount() != parameters) {
            throw new IllegalStateException(cell.key() + ": the network has " + net.parameterCount()
                    + " parameters, the macro counts " + parameters);
        }
        double score = Naswot.score(net, batch);
        boolean degenerate = degenerate(space, cell);
        if (Double.isFinite(score) == degenerate) {
            throw new IllegalStateException(cell.key() + (degenerate
                    ? " ignores its input but scored " + score
                    : " depends on its input but its kernel is singular (score " + score
                            + "): two images of the batch share every activation pattern; choose another batch"));
        }
        long flops = macro.flops(OpRegistry.builtIn(), cell, (int) batch.size(1), (int) batch.size(2));
        return new Row(space.canonical(cell).hash(), cell, degenerate ? Double.NEGATIVE_INFINITY : score,
                parameters, flops);
    }

    /** The header lines of the table, each starting with {@code #}, the last naming the columns. */
    public static List<String> header(int rows, long degenerate) {
        List<String> h = new ArrayList<>();
        h.add("# NASWOT scores (Mellor et al. 2021: log|det K| of the kernel of ReLU activation patterns, at"
                + " initialization) of the networks of the standard NAS-Bench-201 space, one row per canonical class"
                + " (function): " + rows + " rows. A test objective with a known optimum, not an accuracy.");
        h.add("# representative of a class: its first arch string in encoding order (gene vectors compared"
                + " lexicographically, edge 0->1 first, ops numbered " + String.join(", ", Nb201Space.STANDARD_OPS)
                + ")");
        h.add("# network: Nb201Macro(channels=" + MACRO.channels() + ", cellsPerStage=" + MACRO.cellsPerStage()
                + ", inputChannels=" + MACRO.inputChannels() + ", classes=" + MACRO.classes() + "), float weights"
                + " from seed " + SEED + ", BatchNorm on batch statistics, single-threaded ND4J CPU kernels");
        h.add("# batch: the first " + BATCH + " Fashion-MNIST training images, " + FashionMnist.SIDE + "x"
                + FashionMnist.SIDE + ", standardized with mean " + FashionMnist.MEAN + " and std " + FashionMnist.STD);
        h.add("# score -Infinity: " + degenerate + " degenerate class(es) whose output does not depend on the input"
                + " (every path crosses none); the kernel is singular, so there is no finite score. Valid"
                + " architectures, the worst entries.");
        h.add("# parameters: trainable parameters of the representative's network; flops: its multiply-accumulates"
                + " per " + FashionMnist.SIDE + "x" + FashionMnist.SIDE + " image (Nb201Macro.parameters and flops)");
        h.add("# regenerate from the project root: " + COMMAND);
        h.add("# " + String.join("\t", COLUMNS));
        return h;
    }

    /**
     * Scores every class and writes the table to {@code args[0]}; progress and the time taken go to
     * standard error. {@code args[1]}, if given, is the Fashion-MNIST directory.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: NaswotTable OUTPUT.tsv [FASHION_MNIST_DIR]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        try {
            Path dir = args.length > 1 ? Path.of(args[1]) : FashionMnist.installedDirectory().orElseThrow(
                    () -> new DatasetException("Fashion-MNIST is not installed; install the "
                            + FashionMnist.DEBIAN_PACKAGE + " package or name its directory"));
            write(out, FashionMnist.train(dir), Runtime.getRuntime().availableProcessors());
        } catch (DatasetException | IllegalStateException e) {
            System.err.println("naswot table: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void write(Path out, ImageSet train, int workers) throws IOException, InterruptedException {
        long start = System.nanoTime();
        // One native thread per kernel: small networks gain little from more, and single-threaded
        // kernels sum in a fixed order, so a score does not depend on the machine. The cores are used
        // by scoring several networks at once instead.
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nb201Space space = Nb201Space.standard();
        List<Nb201Cell> cells = representatives(space);
        INDArray batch = Batches.range(train, 0, BATCH);
        AtomicInteger done = new AtomicInteger();
        List<Future<Row>> pending = new ArrayList<>(cells.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            for (Nb201Cell cell : cells) {
                pending.add(pool.submit(() -> {
                    Row r = row(space, cell, MACRO, SEED, batch);
                    int n = done.incrementAndGet();
                    if (n % GC_EVERY == 0) {
                        // A finished network's native arrays are freed only once their small Java wrappers
                        // are collected, which a nearly empty heap rarely does; JavaCPP then stalls new
                        // allocations near its limit. Collecting now keeps both memory and time down.
                        System.gc();
                    }
                    if (n % 500 == 0) {
                        System.err.printf(Locale.ROOT, "%d/%d classes, %.0f s%n", n, cells.size(), seconds(start));
                    }
                    return r;
                }));
            }
            List<Row> rows = new ArrayList<>(cells.size());
            for (Future<Row> f : pending) {
                rows.add(f.get());
            }
            save(out, rows);
            long degenerate = rows.stream().filter(r -> !Double.isFinite(r.score())).count();
            double[] finite = rows.stream().mapToDouble(Row::score).filter(Double::isFinite).toArray();
            System.err.printf(Locale.ROOT, "%d classes (%d degenerate) scored in %.0f s with %d workers;"
                    + " finite scores %.4f .. %.4f%n", rows.size(), degenerate, seconds(start), workers,
                    Arrays.stream(finite).min().orElseThrow(), Arrays.stream(finite).max().orElseThrow());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void save(Path out, List<Row> rows) throws IOException {
        long degenerate = rows.stream().filter(r -> !Double.isFinite(r.score())).count();
        // Written to a sibling first, so that a failed run leaves the old table whole.
        Path temporary = out.resolveSibling(out.getFileName() + ".partial");
        try (Writer w = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            for (String line : header(rows.size(), degenerate)) {
                w.write(line + "\n");
            }
            for (Row r : rows) {
                w.write(r.tsv() + "\n");
            }
        }
        Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
