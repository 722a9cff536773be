package org.cellforge.controller.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Cost;
import org.cellforge.controller.CostLimits;
import org.cellforge.controller.Simulation;
import org.cellforge.space.Architecture;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class RandomControllerTest {

    private static <A extends Architecture> List<String> proposals(RandomController<A> controller, int n) {
        return new Simulation<>(controller, a -> 0.5, a -> new Cost(0, 0), 1).runUntil(n).proposals().stream()
                .map(Architecture::key).toList();
    }

    @Test
    void sameSeedSameProposalsOtherSeedOthers() {
        List<String> a = proposals(RandomController.of(Nb201Space.standard(), 11), 20);
        assertEquals(a, proposals(RandomController.of(Nb201Space.standard(), 11), 20));
        assertNotEquals(a, proposals(RandomController.of(Nb201Space.standard(), 12), 20));
    }

    @Test
    void neverProposesTheSameFunctionTwiceAndStopsWhenAllAreProposed() {
        Nb201Space tiny = Nb201Space.of(List.of("none", "skip_connect", "nor_conv_3x3"));
        Set<String> functions = new HashSet<>();
        for (int n = 0; n < 729; n++) {
            int[] genes = new int[Nb201Cell.EDGES];
            for (int e = 0, rest = n; e < genes.length; e++, rest /= 3) {
                genes[e] = rest % 3;
            }
            functions.add(tiny.canonical(tiny.encoding().decode(genes)).expression());
        }
        assertTrue(functions.size() < 729, "some of the 729 strings compute the same function");
        Simulation<Nb201Cell> run = new Simulation<>(RandomController.of(tiny, 5), a -> 0.5, a -> new Cost(0, 0), 1)
                .runUntil(1_000);
        assertNotNull(run.end(), "the controller says when the space is exhausted");
        Set<String> proposed = new HashSet<>();
        for (Nb201Cell cell : run.proposals()) {
            assertTrue(proposed.add(tiny.canonical(cell).expression()), "repeated function " + cell.key());
        }
        assertEquals(functions, proposed);
    }

    @Test
    void warmStartCandidatesComeFirstOnceEach() {
        Nb201Space space = Nb201Space.standard();
        Nb201Cell a = space.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        Nb201Cell b = space.parse("|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");
        RandomController<Nb201Cell> c = RandomController.of(space, 1);
        c.warmStart(List.of(a, a, b));
        List<String> first = proposals(c, 3);
        assertEquals(a.key(), first.get(0));
        assertEquals(b.key(), first.get(1));
        assertNotEquals(a.key(), first.get(2));
    }

    @Test
    void proposesNothingOverItsLimitsAndSaysSoWhenNothingIsLeft() {
        Nb201Space space = Nb201Space.standard();
        // A stand-in cost: parameters grow with the convolutions of the cell, flops with its pools.
        java.util.function.Function<Nb201Cell, Cost> cost = cell -> new Cost(
                cell.key().split("conv", -1).length - 1, cell.key().split("pool", -1).length - 1);
        CostLimits limits = new CostLimits(java.util.OptionalLong.of(2), java.util.OptionalLong.of(1));
        Simulation<Nb201Cell> run = new Simulation<>(RandomController.of(space, 3, cost, limits), a -> 0.5, cost, 1)
                .runUntil(20_000);
        assertTrue(run.proposals().size() > 10, "the limits leave many functions");
        Set<String> costs = new HashSet<>();
        for (Nb201Cell cell : run.proposals()) {
            Cost c = cost.apply(cell);
            assertTrue(c.parameters() <= 2 && c.flops() <= 1, cell.key() + " costs " + c);
            costs.add(c.parameters() + "/" + c.flops());
        }
        assertEquals(6, costs.size(), "every cost within the limits is reached: " + costs);
        assertNotNull(run.end());
        assertTrue(run.end().contains("maxParameters=2 and maxFlops=1"), run.end());
    }

    @Test
    void warmStartCandidatesOverTheLimitAreSkipped() {
        Nb201Space space = Nb201Space.standard();
        Nb201Cell big = space.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        Nb201Cell small = space.parse("|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");
        java.util.function.Function<Nb201Cell, Cost> cost = cell -> new Cost(cell.key().split("conv", -1).length - 1, 0);
        RandomController<Nb201Cell> c = RandomController.of(space, 1, cost,
                new CostLimits(java.util.OptionalLong.of(1), java.util.OptionalLong.empty()));
        c.warmStart(List.of(big, small));
        assertEquals(small.key(), proposals(c, 1).get(0));
    }

    @Test
    void resumesExactlyOnBothSpaces() {
        resumes(Nb201Space.standard());
        resumes(DartsSpace.standard());
    }

    private static <A extends Architecture> void resumes(org.cellforge.space.SearchSpace<A> space) {
        List<String> uninterrupted = proposals(RandomController.of(space, 9), 30);
        Simulation<A> run = new Simulation<>(RandomController.of(space, 9), a -> 0.5, a -> new Cost(0, 0), 1)
                .runUntil(12);
        ControllerState saved = ControllerState.fromJson(run.controller().snapshot().toJson());
        RandomController<A> restored = RandomController.of(space, 9);
        restored.restore(saved);
        List<String> resumed = run.swap(restored).runUntil(30).proposals().stream().map(Architecture::key).toList();
        assertEquals(uninterrupted, resumed);
    }
}
