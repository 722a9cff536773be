package org.cellforge.controller.reinforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.Cost;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Objectives;
import org.cellforge.controller.Observation;
import org.cellforge.controller.Rng;
import org.cellforge.controller.Simulation;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class ReinforceControllerTest {

    private static final Cost FREE = new Cost(0, 0);

    /**
     * A learnable score with a deterministic, irregular part: the share of positions choosing value 1,
     * plus a hash of the text form, so that rewards differ from trial to trial and the policy moves.
     */
    private static <A extends Architecture> ToDoubleFunction<A> score(SearchSpace<A> space) {
        return a -> {
            int[] genes = space.encoding().encode(a);
            int ones = 0;
            for (int g : genes) {
                ones += g == 1 ? 1 : 0;
            }
            return 0.5 * ones / genes.length + 0.5 * (a.key().hashCode() & 0xffff) / 65536.0;
        };
    }

    private static <A extends Architecture> List<String> keys(List<A> architectures) {
        return architectures.stream().map(Architecture::key).toList();
    }

    @Test
    void resumesExactlyOnBothSpacesWithOneAndThreeSlots() {
        for (int slots : new int[] {1, 3}) {
            // Snapshots during the warm start (pending candidates) and after it.
            for (int k : new int[] {2, 17}) {
                resumes(Nb201Space.standard(), slots, k);
                resumes(DartsSpace.standard(), slots, k);
            }
        }
    }

    private static <A extends Architecture> void resumes(SearchSpace<A> space, int slots, int k) {
        long seed = 31 + slots;
        List<A> candidates = new ArrayList<>();
        Rng draw = Rng.of(5);
        for (int i = 0; i < 4; i++) {
            candidates.add(space.sample(draw));
        }
        ReinforceController<A> first = ReinforceController.of(space, seed);
        first.warmStart(candidates);
        Simulation<A> uninterrupted = new Simulation<>(first, score(space), a -> FREE, slots, space).runUntil(60);

        ReinforceController<A> second = ReinforceController.of(space, seed);
        second.warmStart(candidates);
        Simulation<A> run = new Simulation<>(second, score(space), a -> FREE, slots, space).runUntil(k);
        ControllerState saved = ControllerState.fromJson(run.controller().snapshot().toJson());
        ReinforceController<A> restored = ReinforceController.of(space, seed);
        restored.restore(saved);
        run.swap(restored).runUntil(60);

        String where = space.name() + ", " + slots + " slots, snapshot after " + k + " tells";
        assertEquals(keys(uninterrupted.proposals()), keys(run.proposals()), where);
        assertEquals(first.snapshot().toJson(), restored.snapshot().toJson(), where);
        assertNotEquals(ReinforceController.of(space, seed).snapshot().toJson(), restored.snapshot().toJson(),
                "the policy learned something in " + where);
    }

    @Test
    void restoreRefusesAStateOfAnotherShapeNamingTheField() {
        ControllerState nb201 = ReinforceController.of(Nb201Space.standard(), 1).snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReinforceController.of(DartsSpace.standard(), 1).restore(nb201));
        assertTrue(e.getMessage().contains("logits"), e.getMessage());
        Map<String, Object> broken = new HashMap<>(nb201.state());
        broken.remove("baseline");
        e = assertThrows(IllegalArgumentException.class, () -> ReinforceController.of(Nb201Space.standard(), 1)
                .restore(new ControllerState(nb201.controller(), nb201.version(), broken)));
        assertTrue(e.getMessage().contains("baseline"), e.getMessage());
    }

    @Test
    void rewardForOneOpOnOneEdgeRaisesItsProbability() {
        Nb201Space space = Nb201Space.standard();
        int edge = 2;
        int op = space.opNames().indexOf("nor_conv_3x3");
        ReinforceController<Nb201Cell> c = ReinforceController.of(space, 7);
        double before = c.probabilities(edge)[op];
        new Simulation<>(c, a -> space.encoding().encode(a)[edge] == op ? 0.7 : 0.6, a -> FREE, 1).runUntil(150);
        double[] after = c.probabilities(edge);
        assertEquals(0.2, before, 1e-12);
        assertTrue(after[op] > 0.6, "the paid op's probability rose from 0.2 to " + after[op]);
        for (int other = 0; other < after.length; other++) {
            if (other != op) {
                assertTrue(after[other] < 0.2, "op " + other + " lost probability: " + after[other]);
            }
        }
    }

    @Test
    void rewardForOneInputPairOfADartsNodeRaisesItsProbability() {
        DartsSpace space = DartsSpace.standard();
        int position = 9; // the normal cell's last node: 20 ordered pairs of its 5 inputs
        int pair = 13;
        ReinforceController<DartsGenotype> c = ReinforceController.of(space, 8);
        double before = c.probabilities(position)[pair];
        new Simulation<>(c, a -> space.encoding().encode(a)[position] == pair ? 0.7 : 0.6, a -> FREE, 3)
                .runUntil(250);
        assertEquals(20, space.encoding().cardinality(position));
        assertEquals(0.05, before, 1e-12);
        double after = c.probabilities(position)[pair];
        assertTrue(after > 0.4, "the paid pair's probability rose from 0.05 to " + after);
    }

    private static ReinforceController<Nb201Cell> noEntropy(long seed) {
        return ReinforceController.of(Nb201Space.standard(), seed, ReinforceController.Settings.of(0.05, 0.9, 0, 0.5));
    }

    private static double probability(ReinforceController<Nb201Cell> c, Nb201Cell cell) {
        int[] genes = Nb201Space.standard().encoding().encode(cell);
        double p = 1;
        for (int i = 0; i < genes.length; i++) {
            p *= c.probabilities(i)[genes[i]];
        }
        return p;
    }

    @Test
    void stoppedTrialsAreNeverEncouragedAndFailedOnesDiscouragedWithoutMovingTheBaseline() {
        Nb201Space space = Nb201Space.standard();
        Nb201Cell a = space.sample(Rng.of(1));
        Nb201Cell z = space.sample(Rng.of(2));
        Objectives high = new Objectives(0.95, 0, 0);

        // The first finished trial sets the baseline and, with an advantage of zero, moves nothing.
        ReinforceController<Nb201Cell> finished = noEntropy(3);
        double uniform = probability(finished, z);
        finished.tell(Observation.of(a, 0.5));
        assertEquals(uniform, probability(finished, z), 1e-15);
        finished.tell(Observation.of(z, high));
        assertTrue(probability(finished, z) > uniform, "a finished trial above the baseline is encouraged");

        ReinforceController<Nb201Cell> stopped = noEntropy(3);
        stopped.tell(Observation.of(a, 0.5));
        stopped.tell(Observation.stopped(z, high));
        assertEquals(uniform, probability(stopped, z), 1e-15);
        assertEquals(0.5, stopped.baseline().orElseThrow());

        ReinforceController<Nb201Cell> failed = noEntropy(3);
        failed.tell(Observation.of(a, 0.5));
        failed.tell(Observation.of(space.sample(Rng.of(4)), 0.6));
        double baseline = failed.baseline().orElseThrow();
        double p = probability(failed, z);
        failed.tell(Observation.failed(z));
        assertTrue(probability(failed, z) < p, "a failed trial is discouraged");
        assertEquals(baseline, failed.baseline().orElseThrow());
        assertEquals(3, failed.tells());
    }

    @Test
    void stoppedAndFailedTrialsBeforeAnyFinishedOneLeaveThePolicyAlone() {
        Nb201Space space = Nb201Space.standard();
        ReinforceController<Nb201Cell> c = ReinforceController.of(space, 3);
        String initial = c.snapshot().state().get("logits").toString();
        c.tell(Observation.failed(space.sample(Rng.of(1))));
        c.tell(Observation.stopped(space.sample(Rng.of(2)), new Objectives(0.9, 0, 0)));
        assertEquals(initial, c.snapshot().state().get("logits").toString());
        assertTrue(c.baseline().isEmpty());
    }

    @Test
    void warmStartProposesTheCandidatesFirstAndBiasesThePolicyTowardTheBest() {
        Nb201Space space = Nb201Space.standard();
        Nb201Cell best = space.parse(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        Nb201Cell other = space.parse("|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");
        ReinforceController<Nb201Cell> c = ReinforceController.of(space, 1);
        c.warmStart(List.of(best, best, other));
        assertEquals(best, proposal(c));
        assertEquals(other, proposal(c));
        int[] genes = space.encoding().encode(best);
        for (int i = 0; i < genes.length; i++) {
            assertEquals(0.5, c.probabilities(i)[genes[i]], 1e-12, "edge " + i);
        }
        Set<Nb201Cell> samples = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            samples.add(proposal(c));
        }
        assertTrue(samples.size() > 1, "then samples of the policy");

        DartsSpace darts = DartsSpace.standard();
        ReinforceController<DartsGenotype> d = ReinforceController.of(darts, 1,
                ReinforceController.Settings.of(0.05, 0.9, 0.002, 0.3));
        DartsGenotype g = darts.sample(Rng.of(9));
        d.warmStart(List.of(g));
        int[] dg = darts.encoding().encode(g);
        for (int i = 0; i < dg.length; i++) {
            // Positions with two choices would need a lower probability than uniform: they stay uniform.
            double expected = Math.max(0.3, 1.0 / darts.encoding().cardinality(i));
            assertEquals(expected, d.probabilities(i)[dg[i]], 1e-12, darts.encoding().describe(i));
        }
    }

    private static <A extends Architecture> A proposal(Controller<A> c) {
        return ((Decision.Propose<A>) c.ask()).architecture();
    }

    @Test
    void samplesFollowThePolicyAndDependOnTheSeed() {
        Nb201Space space = Nb201Space.standard();
        List<String> a = keys(new Simulation<>(ReinforceController.of(space, 11), score(space), x -> FREE, 1)
                .runUntil(20).proposals());
        assertEquals(a, keys(new Simulation<>(ReinforceController.of(space, 11), score(space), x -> FREE, 1)
                .runUntil(20).proposals()));
        assertNotEquals(a, keys(new Simulation<>(ReinforceController.of(space, 12), score(space), x -> FREE, 1)
                .runUntil(20).proposals()));
        // A policy concentrated by a warm start samples the best candidate's choices far more often than
        // uniformly; DARTS is so large that skipping functions proposed before does not bias the count.
        DartsSpace darts = DartsSpace.standard();
        ReinforceController<DartsGenotype> c = ReinforceController.of(darts, 2,
                ReinforceController.Settings.of(0.05, 0.9, 0.002, 0.9));
        DartsGenotype best = darts.sample(Rng.of(3));
        c.warmStart(List.of(best));
        proposal(c);
        int[] genes = darts.encoding().encode(best);
        int same = 0;
        int draws = 200;
        for (int i = 0; i < draws; i++) {
            int[] sampled = darts.encoding().encode(proposal(c));
            for (int e = 0; e < genes.length; e++) {
                same += sampled[e] == genes[e] ? 1 : 0;
            }
        }
        double share = same / (double) (draws * genes.length);
        assertEquals(0.9, share, 0.02, "share of sampled choices equal to the best candidate's");
    }

    @Test
    void parallelWorkersNeverTrainAFunctionTwice() {
        Nb201Space space = Nb201Space.standard();
        // A large step concentrates the policy quickly, so that repeats are drawn often.
        ReinforceController<Nb201Cell> c = ReinforceController.of(space, 4,
                ReinforceController.Settings.of(0.3, 0.9, 0, 0.5));
        Simulation<Nb201Cell> run = new Simulation<>(c, score(space), a -> FREE, 3, space).runTrials(300);
        Set<String> functions = new HashSet<>();
        for (Nb201Cell cell : run.trials()) {
            assertTrue(functions.add(space.canonical(cell).hash()), "trained twice: " + cell.key());
        }
        assertEquals(run.trials().size(), run.proposals().size(), "no repeat was proposed");
    }

    @Test
    void keepsFindingNewFunctionsUntilTheSpaceIsExhausted() {
        Nb201Space tiny = Nb201Space.of(List.of("none", "skip_connect", "nor_conv_3x3"));
        Set<String> functions = new HashSet<>();
        for (int n = 0; n < 729; n++) {
            int[] genes = new int[Nb201Cell.EDGES];
            for (int e = 0, rest = n; e < genes.length; e++, rest /= 3) {
                genes[e] = rest % 3;
            }
            functions.add(tiny.canonical(tiny.encoding().decode(genes)).hash());
        }
        ReinforceController<Nb201Cell> c = ReinforceController.of(tiny, 6,
                ReinforceController.Settings.of(0.3, 0.9, 0, 0.5));
        Simulation<Nb201Cell> run = new Simulation<>(c, score(tiny), a -> FREE, 1, tiny).runTrials(functions.size());
        assertEquals(null, run.end(), "the engine never gave up on repeats");
        assertEquals(functions.size(), run.trials().size(), "every function was trained");
        // Repeats are proposed only once a policy's whole flattening finds nothing new.
        assertTrue(run.proposals().size() < 2 * functions.size(), run.proposals().size() + " proposals");
    }

    @Test
    void optionViolationsNameTheField() {
        List<Violation> v = new ArrayList<>();
        Controllers.validate("reinforce", Map.of("learningRate", 0, "baselineDecay", 1.0, "entropyWeight", "much",
                "lr", 0.1), v);
        List<String> fields = v.stream().map(Violation::field).sorted().toList();
        assertEquals(List.of("options.baselineDecay", "options.entropyWeight", "options.learningRate", "options.lr"),
                fields, v.toString());

        v.clear();
        Options options = Controllers.validate("reinforce", Map.of("learningRate", "0.3",
                "warmStartProbability", 0.7), v);
        assertEquals(List.of(), v);
        Controller<Nb201Cell> c = Controllers.named("reinforce").orElseThrow()
                .create(new ControllerContext<>(Nb201Space.standard(), 1, options, a -> FREE));
        ReinforceController.Settings defaults = ReinforceController.Settings.DEFAULTS;
        assertEquals(ReinforceController.Settings.of(0.3, defaults.baselineDecay(), defaults.entropyWeight(), 0.7),
                ((ReinforceController<Nb201Cell>) c).settings());
        assertEquals(ReinforceController.Settings.DEFAULTS, ReinforceController.Settings.from(
                Controllers.validate("reinforce", Map.of(), v)));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReinforceController.Settings.of(0.05, -0.1, 0, 0.5));
        assertTrue(e.getMessage().startsWith("baselineDecay"), e.getMessage());
    }

    @Test
    void registeredAfterRandom() {
        List<String> names = Controllers.names();
        assertEquals("random", names.getFirst(), "random search stays the default");
        assertTrue(names.indexOf("reinforce") > 0, names.toString());
        assertEquals(ReinforceController.KIND, Controllers.named("reinforce").orElseThrow());
    }
}
