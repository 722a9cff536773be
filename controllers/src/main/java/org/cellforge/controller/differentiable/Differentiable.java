package org.cellforge.controller.differentiable;

import java.util.List;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.option.Option;
import org.cellforge.space.Architecture;

/**
 * DARTS (Liu et al. 2019): the architecture relaxed to a softmax mixture over operations on every
 * edge, whose weights (alpha) are learnt by gradient descent on validation batches while the
 * network's weights are on training batches; the genotype keeps each edge's strongest operation.
 * It is a one-shot strategy: one supernet training is the whole search, so there is nothing to ask
 * or tell, and the engine runs it through its evaluation.
 */
public final class Differentiable {

    /** Alpha's gradient at the current weights. */
    public static final String FIRST = "first";

    /** Alpha's gradient through one virtual weight step. */
    public static final String SECOND = "second";

    /** No remedy against collapse. */
    public static final String NO_GUARD = "none";

    /** Beta-Decay regularization of alpha (beta-DARTS). */
    public static final String BETA_DECAY = "beta-decay";

    /** The strategy {@code darts}. */
    public static final ControllerKind KIND = new ControllerKind.Base("darts",
            "DARTS: differentiable search of one relaxed supernet; the strongest operation of each edge wins",
            List.of(Option.choice("order", FIRST, List.of(FIRST, SECOND),
                            "first: alpha's gradient at the current weights; second: through one virtual weight step "
                                    + "(about 2.5x slower per step)"),
                    Option.choice("guard", BETA_DECAY, List.of(BETA_DECAY, NO_GUARD),
                            "remedy against the collapse to parameter-free cells: beta-decay regularization of "
                                    + "alpha (beta-DARTS), or none (plain DARTS)"),
                    Option.number("guardWeight", null, 0.0, 1_000.0,
                            "weight of the beta-decay term, reached after 100 epochs as in the published code (it grows "
                                    + "by a hundredth of it per epoch) [50]"),
                    Option.number("alphaLearningRate", 3e-4, 1e-6, 1.0,
                            "Adam's step size on the architecture weights; DARTS's 3e-4 suits 50 epochs of CIFAR-10, "
                                    + "short searches on few images need more (e.g. 0.01) for alpha to move"))) {
        @Override
        public boolean oneShot() {
            return true;
        }

        @Override
        public <A extends Architecture> Controller<A> create(ControllerContext<A> context) {
            throw new UnsupportedOperationException("darts is a one-shot strategy: the engine runs it as one "
                    + "supernet training, not through ask and tell");
        }
    };

    private Differentiable() {
    }
}
