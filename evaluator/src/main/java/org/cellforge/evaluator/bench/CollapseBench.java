package org.cellforge.evaluator.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.cellforge.evaluator.Augmentation;
import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.supernet.DartsSearch;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpType;

/**
 * Does the guard keep DARTS from collapsing? On Fashion-MNIST and the NAS-Bench-201 space, with
 * the same seeds, split and budget, runs plain DARTS ({@link DartsSearch.Guard#NONE}) and DARTS
 * with Beta-Decay ({@link DartsSearch.Guard#BETA_DECAY}); for each, counts the edges of the found
 * cell that ended as parameter-free operations (skip_connect, avg_pool, none), retrains the cell
 * stand-alone on training plus validation images and measures it once on the test split. Prints a
 * markdown table, one row per (guard, seed).
 *
 * <p>The search trains its weights as DARTS does (SGD, momentum 0.9, learning rate 0.025 to 0.001,
 * weight decay 3e-4, batch 64), one cell per stage; the retraining uses {@link TrainSettings#defaults}.
 */
public final class CollapseBench {

    static final String USAGE = """
            usage: bench --mode collapse [--channels C] [--train-size N] [--val-size N] [--epochs E]
                         [--retrain-epochs R] [--seeds a,b,...] [--threads T] [--batch B] [--alpha-lr X]
            collapse: DARTS without and with the Beta-Decay guard on Fashion-MNIST (NAS-Bench-201 space, one
                      cell per stage); per (guard, seed) the cell, its parameter-free edges and its test
                      accuracy after retraining on train+val for R epochs. --alpha-lr: Adam's step on alpha
                      (DARTS's 3e-4 by default).""";

    private CollapseBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (IllegalArgumentException | IllegalStateException | DatasetException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
    }

    /**
     * Runs the comparison with the flags in {@code args}.
     *
     * @throws IllegalArgumentException for an unknown flag or a bad value
     * @throws IllegalStateException if Fashion-MNIST is not installed
     */
    static void run(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("channels", "8");
        o.put("train-size", "1280");
        o.put("val-size", "1280");
        o.put("epochs", "10");
        o.put("retrain-epochs", "5");
        o.put("seeds", "1,2");
        o.put("threads", "1");
        o.put("batch", "64");
        o.put("alpha-lr", String.valueOf(DartsSearch.ALPHA_LEARNING_RATE));
        if (BenchFlags.help(args)) {
            System.out.println(USAGE);
            return;
        }
        BenchFlags f = BenchFlags.parse(args, o, USAGE);
        int channels = f.positive("channels");
        int trainSize = f.positive("train-size");
        int valSize = f.positive("val-size");
        int epochs = f.positive("epochs");
        int retrainEpochs = f.positive("retrain-epochs");
        int threads = f.positive("threads");
        int batch = f.positive("batch");
        double alphaRate;
        try {
            alphaRate = Double.parseDouble(f.get("alpha-lr"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--alpha-lr must be a number, got '" + f.get("alpha-lr") + "'");
        }
        List<Long> seeds = new ArrayList<>();
        for (String s : f.get("seeds").split(",")) {
            try {
                seeds.add(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds takes whole numbers separated by commas, got '"
                        + f.get("seeds") + "'");
            }
        }

        var dir = FashionMnist.installedDirectory().orElseThrow(() -> new IllegalStateException(
                "Fashion-MNIST is not installed: install the " + FashionMnist.DEBIAN_PACKAGE + " package"));
        ImageSet all = FashionMnist.train(dir);
        ImageSet test = FashionMnist.test(dir);
        Nb201Space space = Nb201Space.standard();
        Nb201Macro macro = new Nb201Macro(channels, 1, FashionMnist.CHANNELS, FashionMnist.CLASSES);
        System.out.printf(Locale.ROOT, "DARTS collapse on Fashion-MNIST: NB201 C=%d N=1, %d train / %d val images,"
                + " %d search epochs, batch %d, alpha learning rate %s, retrain %d epochs on train+val, test on %d images,"
                + " %d thread(s)%n%n", channels, trainSize, valSize, epochs, batch, alphaRate, retrainEpochs, test.size(),
                threads);
        System.out.println("| guard | seed | cell | skip | pool | none | param-free | search val acc | test acc"
                + " | search s | retrain s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (long seed : seeds) {
            Split split = Split.of(all, trainSize, valSize, seed);
            for (DartsSearch.Guard guard : DartsSearch.Guard.values()) {
                TrainSettings search = new TrainSettings(epochs, batch, Optimizer.Kind.SGD, 0.025, 0.9, 3e-4,
                        Augmentation.none(), seed, 20, threads);
                long start = System.nanoTime();
                DartsSearch.Result<Nb201Cell> result = DartsSearch.search(space, macro, split, search,
                        withAlphaRate(DartsSearch.Config.defaults().withGuard(guard), alphaRate),
                        DartsSearch.Progress.none(), Optional.empty());
                double searchSeconds = (System.nanoTime() - start) / 1e9;
                Nb201Cell cell = result.genotype();
                int skip = count(space, cell, OpType.IDENTITY);
                int pool = count(space, cell, OpType.AVG_POOL) + count(space, cell, OpType.MAX_POOL);
                int none = count(space, cell, OpType.ZERO);

                start = System.nanoTime();
                Network net = Nb201Network.create(cell, macro, seed);
                TrainSettings retrain = TrainSettings.defaults(retrainEpochs, seed).withBatchSize(batch)
                        .withThreads(threads);
                TrainingResult trained = Trainer.trainWithoutValidation(net,
                        ImageSet.concat(List.of(split.train(), split.validation())), retrain, EpochListener.none());
                double testAccuracy;
                try (Trainer.ThreadSetting _ = Trainer.useThreads(threads)) {
                    testAccuracy = trained.succeeded() ? Trainer.accuracy(net, test) : Double.NaN;
                }
                double retrainSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "| %s | %d | `%s` | %d | %d | %d | %d | %s | %s | %.0f | %.0f |%n",
                        guard.name().toLowerCase(Locale.ROOT), seed, cell.key().replace("|", "\\|"), skip, pool, none, skip + pool + none,
                        percent(result.training().validationAccuracy()), percent(testAccuracy), searchSeconds,
                        retrainSeconds);
                System.out.flush();
            }
        }
    }

    private static int count(Nb201Space space, Nb201Cell cell, OpType type) {
        return (int) cell.ops().stream().filter(op -> space.op(op).type() == type).count();
    }

    private static DartsSearch.Config withAlphaRate(DartsSearch.Config c, double rate) {
        return new DartsSearch.Config(c.order(), c.guard(), c.guardWeight(), c.minLearningRate(), rate);
    }

    private static String percent(double accuracy) {
        return Double.isNaN(accuracy) ? "failed" : String.format(Locale.ROOT, "%.2f%%", 100 * accuracy);
    }

}
