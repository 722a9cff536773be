package org.cellforge.evaluator;

import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;

/** Stand-alone training of an NB201 cell from fresh weights drawn from the settings' seed. */
public final class Nb201Trainer {

    private Nb201Trainer() {
    }

    /** Trains {@code cell} with {@code settings}, reporting each epoch to {@code listener}. */
    public static TrainingResult train(Nb201Cell cell, Nb201Macro macro, Split split, TrainSettings settings,
            EpochListener listener) {
        return Trainer.train(Nb201Network.create(cell, macro, settings.seed()), split, settings, listener);
    }
}
