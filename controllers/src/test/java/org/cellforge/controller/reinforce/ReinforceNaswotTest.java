package org.cellforge.controller.reinforce;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongFunction;

import org.cellforge.controller.Controller;
import org.cellforge.controller.NaswotTable;
import org.cellforge.controller.Simulation;
import org.cellforge.controller.random.RandomController;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

/**
 * REINFORCE against random search on an objective whose optimum is known: the NASWOT score of every
 * NAS-Bench-201 function, mapped onto [0, 1] like an accuracy.
 */
class ReinforceNaswotTest {

    /**
     * Trials each search may spend. The top 1 % of the table are 47 functions made of convolutions
     * only, each computed by a single string, so a uniform sample hits one 3 times in 1000: random
     * search finds one within 200 trials in about half of its runs, which leaves room to be faster
     * and is still a short search.
     */
    private static final int BUDGET = 200;

    /** Runs per strategy; seeds 0 to 29. */
    private static final int SEEDS = 30;

    private static final Nb201Space SPACE = Nb201Space.standard();

    /** Mean one-based trial of the first top-1% function over the seeds; a run without one counts BUDGET + 1. */
    private static double meanFirstTop(LongFunction<Controller<Nb201Cell>> controller, int slots) {
        NaswotTable table = NaswotTable.load();
        long sum = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            Simulation<Nb201Cell> run = new Simulation<>(controller.apply(seed), table::accuracyLike, table::cost,
                    slots, SPACE).runTrials(BUDGET);
            assertTrue(run.trials().size() >= BUDGET, "the whole budget is spent");
            // With several slots the run stops with trials still outstanding: beyond the budget is too late.
            sum += Math.min(run.firstTrial(cell -> table.inTop(cell, 1)), BUDGET + 1);
        }
        return sum / (double) SEEDS;
    }

    @Test
    void findsATopOnePercentFunctionSoonerThanRandomSearch() {
        for (int slots : new int[] {1, 3}) {
            double reinforce = meanFirstTop(seed -> ReinforceController.of(SPACE, seed), slots);
            double random = meanFirstTop(seed -> RandomController.of(SPACE, seed), slots);
            String measured = slots + " slot(s), " + SEEDS + " seeds, budget " + BUDGET
                    + ": mean first top-1% trial, reinforce " + reinforce + ", random " + random;
            System.out.println(measured);
            assertTrue(reinforce < random, measured);
        }
    }
}
