package org.cellforge.evaluator.supernet;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.NetworkBuilder;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weight-sharing supernet over an NB201 space: one weight set per (cell position, edge,
 * operation), plus the shared stem, reductions and head. A path is an ordinary network built on
 * the supernet's store from shared layer objects, so a single-path step costs what a stand-alone
 * step of that path costs and touches only that path's weights. Candidates are scored with
 * inherited weights after their BatchNorm statistics are recomputed on training batches.
 */
public final class Nb201Supernet {

    private final Nb201Space space;
    private final Nb201Macro macro;
    private final Parameters store;
    private final NetworkBuilder.Parts parts = new NetworkBuilder.Parts();

    private Nb201Supernet(Nb201Space space, Nb201Macro macro, long seed) {
        this.space = space;
        this.macro = macro;
        this.store = Parameters.of(DataType.FLOAT, seed);
        // Every operation on every edge once, in a fixed order, so a seed fixes all initial weights.
        for (String op : space.opNames()) {
            path(Nb201Cell.of(Collections.nCopies(Nb201Cell.EDGES, op)));
        }
    }

    /**
     * A supernet for {@code space} at {@code macro} with weights drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if an operation of the space cannot be built
     */
    public static Nb201Supernet of(Nb201Space space, Nb201Macro macro, long seed) {
        return new Nb201Supernet(Objects.requireNonNull(space, "space"), Objects.requireNonNull(macro, "macro"), seed);
    }

    /** The shared weights. */
    public Parameters store() {
        return store;
    }

    /** All trainable scalars of the supernet. */
    public long parameterCount() {
        return store.weights().values().stream().mapToLong(INDArray::length).sum();
    }

    /** The network of {@code cell} on the shared weights. */
    public Network path(Nb201Cell cell) {
        if (!space.contains(cell)) {
            throw new IllegalArgumentException("architecture " + cell.key() + " is not in the supernet's space");
        }
        return Nb201Network.create(space, cell, macro, store, parts);
    }

    /**
     * Trains the supernet one uniformly sampled path per step (single-path one-shot); after each
     * epoch the validation accuracy of one sampled path, with recalibrated BatchNorm, is reported.
     */
    public TrainingResult train(Split split, TrainSettings settings, EpochListener listener) {
        SplittableRandom probe = new SplittableRandom(settings.seed());
        List<INDArray> calibration = Trainer.calibrationBatches(split.train(), settings.batchSize(),
                settings.calibrationBatches());
        return Trainer.train(random -> path(space.sample(random)),
                () -> path(space.sample(probe)).recalibrate(calibration), parameterCount(), split, settings, listener);
    }

    /**
     * Validation accuracy of {@code cell} with the supernet's weights, after recomputing its
     * BatchNorm statistics on {@code calibration} batches: a supernet estimate, not a stand-alone result.
     */
    public double score(Nb201Cell cell, List<INDArray> calibration, ImageSet validation) {
        return Trainer.accuracy(path(cell).recalibrate(calibration), validation);
    }
}
