package org.cellforge.controller.nsga2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.Cost;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Objectives;
import org.cellforge.controller.Observation;
import org.cellforge.controller.Rng;
import org.cellforge.controller.Simulation;
import org.cellforge.controller.StateReader;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;

class Nsga2ControllerTest {

    private static final Nb201Space SPACE = Nb201Space.standard();
    private static final Nb201Macro MACRO = new Nb201Macro(16, 5, 3, 10);
    private static final Function<Nb201Cell, Cost> COST = c -> new Cost(MACRO.parameters(c),
            MACRO.flops(OpRegistry.builtIn(), c, 32, 32));

    private static Nsga2Controller.Settings settings(int population, Cost.Kind objective, Long maxParameters,
            Long maxFlops, double crossover) {
        return new Nsga2Controller.Settings(population, objective,
                maxParameters == null ? OptionalLong.empty() : OptionalLong.of(maxParameters),
                maxFlops == null ? OptionalLong.empty() : OptionalLong.of(maxFlops), crossover);
    }

    private static Nsga2Controller<Nb201Cell> nsga2(long seed, int population) {
        return Nsga2Controller.of(SPACE, seed, COST, settings(population, Cost.Kind.PARAMETERS, null, null, 0.9));
    }

    private static <A extends Architecture> A propose(Nsga2Controller<A> c) {
        Decision<A> d = c.ask();
        if (d instanceof Decision.Propose<A>(A a)) {
            return a;
        }
        throw new AssertionError("expected a proposal, got " + d);
    }

    private static List<String> population(Nsga2Controller<?> c) {
        return c.snapshot().reader(Nsga2Controller.NAME, List.of(1)).objects("population").stream()
                .map(m -> m.string("architecture")).toList();
    }

    private static <A extends Architecture> double noise(SearchSpace<A> space, A a) {
        return (Long.parseUnsignedLong(space.canonical(a).hash(), 16) >>> 11) * 0x1p-53;
    }

    @Test
    void optionsHaveDefaultsAndViolationsNameTheirField() {
        List<Violation> violations = new ArrayList<>();
        Options defaults = Controllers.validate(Nsga2Controller.NAME, Map.of(), violations);
        assertEquals(List.of(), violations);
        assertEquals(Nsga2Controller.Settings.defaults(), Nsga2Controller.Settings.of(defaults));

        Options limited = Controllers.validate(Nsga2Controller.NAME, Map.of("maxParameters", 500_000, "maxFlops",
                "70000000", "objective", "FLOPS", "crossover", 0.5, "population", 20), violations);
        assertEquals(List.of(), violations);
        assertEquals(settings(20, Cost.Kind.FLOPS, 500_000L, 70_000_000L, 0.5), Nsga2Controller.Settings.of(limited));

        Controllers.validate(Nsga2Controller.NAME, Map.of("population", 3, "objective", "latency", "maxParameters", 0,
                "maxFlops", "many", "crossover", 1.5), violations);
        assertEquals(Set.of("options.population", "options.objective", "options.maxParameters", "options.maxFlops",
                "options.crossover"), new HashSet<>(violations.stream().map(Violation::field).toList()));
    }

    @Test
    void neverProposesOverAHardLimitOnBothSpaces() {
        long medianParameters = median(SPACE, c -> COST.apply(c).parameters());
        withinLimits(SPACE, COST, settings(10, Cost.Kind.PARAMETERS, medianParameters, null, 0.9));
        long medianFlops = median(SPACE, c -> COST.apply(c).flops());
        withinLimits(SPACE, COST, settings(10, Cost.Kind.FLOPS, null, medianFlops, 0.9));

        DartsSpace darts = DartsSpace.standard();
        DartsMacro macro = DartsMacro.of(16, 8, 3, 10);
        Function<DartsGenotype, Cost> dartsCost = g -> new Cost(macro.parameters(g), 0);
        long dartsMedian = median(darts, g -> dartsCost.apply(g).parameters());
        withinLimits(darts, dartsCost, settings(10, Cost.Kind.PARAMETERS, dartsMedian, null, 0.9));
    }

    private static <A extends Architecture> long median(SearchSpace<A> space, Function<A, Long> cost) {
        Rng rng = Rng.of(1);
        List<Long> costs = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            costs.add(cost.apply(space.sample(rng)));
        }
        costs.sort(null);
        return costs.get(100);
    }

    private static <A extends Architecture> void withinLimits(SearchSpace<A> space, Function<A, Cost> cost,
            Nsga2Controller.Settings settings) {
        Nsga2Controller<A> c = Nsga2Controller.of(space, 2, cost, settings);
        // Warm candidates over the limit are skipped like any other.
        Rng proxy = Rng.of(3);
        List<A> warm = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            warm.add(space.sample(proxy));
        }
        c.warmStart(warm);
        Simulation<A> run = new Simulation<>(c, a -> noise(space, a), cost, 3, space).runUntil(80);
        assertEquals(80, run.proposals().size(), String.valueOf(run.end()));
        for (A a : run.proposals()) {
            assertTrue(settings.allows(cost.apply(a)), a.key() + " costs " + cost.apply(a) + ", over "
                    + settings.limits());
        }
        assertTrue(warm.stream().anyMatch(a -> !settings.allows(cost.apply(a))), "some warm candidates were over");
    }

    @Test
    void aLimitNothingMeetsEndsTheSearchWithAReasonNamingIt() {
        Nsga2Controller<Nb201Cell> c = Nsga2Controller.of(SPACE, 4, COST,
                settings(10, Cost.Kind.PARAMETERS, 1000L, null, 0.9));
        c.warmStart(List.of(SPACE.sample(Rng.of(5))));
        Decision<Nb201Cell> done = c.ask();
        if (!(done instanceof Decision.Done<Nb201Cell>(String reason))) {
            throw new AssertionError("expected the end of the search, got " + done);
        }
        assertTrue(reason.contains("maxParameters=1000"), reason);
        ControllerState saved = ControllerState.fromJson(c.snapshot().toJson());
        Nsga2Controller<Nb201Cell> restored = Nsga2Controller.of(SPACE, 4, COST,
                settings(10, Cost.Kind.PARAMETERS, 1000L, null, 0.9));
        restored.restore(saved);
        assertEquals(done, restored.ask(), "a restored controller stays done");
    }

    @Test
    void proposalsDoNotDependOnHowManyEvaluationsRunAtOnce() {
        List<String> one = keys(new Simulation<>(nsga2(6, 6), c -> noise(SPACE, c), COST, 1, SPACE).runUntil(40));
        assertEquals(one, keys(new Simulation<>(nsga2(6, 6), c -> noise(SPACE, c), COST, 4, SPACE).runUntil(40)));
        assertEquals(one, keys(new Simulation<>(nsga2(6, 6), c -> noise(SPACE, c), COST, 6, SPACE).runUntil(40)));
        Set<String> functions = new HashSet<>();
        for (String key : one) {
            assertTrue(functions.add(SPACE.canonical(SPACE.parse(key)).hash()), "repeated function " + key);
        }
    }

    /** The first 40 proposals: a run with more slots has more outstanding when it stops. */
    private static List<String> keys(Simulation<Nb201Cell> run) {
        return run.proposals().stream().limit(40).map(Architecture::key).toList();
    }

    @Test
    void waitsUntilTheWholeGenerationIsTold() {
        Nsga2Controller<Nb201Cell> c = nsga2(7, 4);
        List<Nb201Cell> generation = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            generation.add(propose(c));
        }
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Decision.Wait.class, c.ask());
            c.tell(Observation.of(generation.get(3 - i), Objectives.of(0.5, COST.apply(generation.get(3 - i)))));
        }
        assertInstanceOf(Decision.Wait.class, c.ask());
        c.tell(Observation.of(generation.get(0), Objectives.of(0.5, COST.apply(generation.get(0)))));
        assertNotNull(propose(c));
        assertEquals(4, population(c).size());
    }

    @Test
    void survivorsAreTheFirstFrontTrimmedByCrowdingAndFailedOnesNeverSurvive() {
        Nsga2Controller<Nb201Cell> c = nsga2(8, 4);
        // Generation 0: a(0.9, 100) and b(0.5, 10) are non-dominated; c fails; d(0.8, 200) is dominated by a.
        List<Nb201Cell> first = List.of(propose(c), propose(c), propose(c), propose(c));
        c.tell(Observation.of(first.get(0), new Objectives(0.9, 100, 0)));
        c.tell(Observation.of(first.get(1), new Objectives(0.5, 10, 0)));
        c.tell(Observation.failed(first.get(2)));
        c.tell(Observation.of(first.get(3), new Objectives(0.8, 200, 0)));
        assertEquals(Set.of(first.get(0).key(), first.get(1).key(), first.get(3).key()), Set.copyOf(population(c)),
                "fewer than four evaluated: all of them, the failed one left out");
        // Generation 1: e(0.95, 300), f(0.3, 5) and g(0.6, 60) join a and b in the first front; h fails.
        List<Nb201Cell> second = List.of(propose(c), propose(c), propose(c), propose(c));
        c.tell(Observation.of(second.get(0), new Objectives(0.95, 300, 0)));
        c.tell(Observation.of(second.get(1), new Objectives(0.3, 5, 0)));
        c.tell(Observation.of(second.get(2), new Objectives(0.6, 60, 0)));
        c.tell(Observation.failed(second.get(3)));
        // Five in the first front for four places: the extremes e and f stay; of a, b and g, b is the
        // most crowded (its neighbours f and g are closest in both objectives, normalized or not).
        assertEquals(Set.of(first.get(0).key(), second.get(0).key(), second.get(1).key(), second.get(2).key()),
                Set.copyOf(population(c)));
    }

    @Test
    void theObjectiveOptionChoosesWhichCostIsMinimized() {
        // Eight results of equal parameters; only the least accurate has tiny FLOPs.
        assertEquals(Set.of(4, 5, 6, 7), survivors(Cost.Kind.PARAMETERS));
        assertEquals(Set.of(0, 5, 6, 7), survivors(Cost.Kind.FLOPS));
    }

    private static Set<Integer> survivors(Cost.Kind objective) {
        Nsga2Controller<Nb201Cell> c = Nsga2Controller.of(SPACE, 9, COST, settings(4, objective, null, null, 0.9));
        List<Nb201Cell> proposed = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            List<Nb201Cell> generation = List.of(propose(c), propose(c), propose(c), propose(c));
            for (Nb201Cell cell : generation) {
                int i = proposed.size();
                proposed.add(cell);
                c.tell(Observation.of(cell, new Objectives(0.1 * (i + 1), 1000, i == 0 ? 1 : 1000)));
            }
        }
        Set<Integer> out = new HashSet<>();
        for (String key : population(c)) {
            out.add(proposed.stream().map(Architecture::key).toList().indexOf(key));
        }
        return out;
    }

    @Test
    void withoutCrossoverEveryChildIsOneEditFromAParent() {
        Nsga2Controller<Nb201Cell> c = Nsga2Controller.of(SPACE, 10, COST, settings(6, Cost.Kind.PARAMETERS, null,
                null, 0.0));
        for (int g = 0; g < 5; g++) {
            List<Nb201Cell> parents = population(c).stream().map(SPACE::parse).toList();
            List<Nb201Cell> generation = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Nb201Cell child = propose(c);
                generation.add(child);
                if (g > 0) {
                    assertTrue(parents.stream().anyMatch(p -> edits(p, child) == 1), child.key());
                }
            }
            for (Nb201Cell cell : generation) {
                c.tell(Observation.of(cell, Objectives.of(noise(SPACE, cell), COST.apply(cell))));
            }
        }
    }

    private static int edits(Nb201Cell a, Nb201Cell b) {
        int n = 0;
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            if (!a.op(e).equals(b.op(e))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aGenerationThatAllFailedIsFollowedByUniformSamples() {
        Nsga2Controller<Nb201Cell> c = nsga2(11, 4);
        for (int i = 0; i < 4; i++) {
            c.tell(Observation.failed(propose(c)));
        }
        assertEquals(List.of(), population(c));
        assertNotNull(propose(c));
    }

    @Test
    void warmCandidatesOpenTheFirstGenerationOnceEach() {
        Nsga2Controller<Nb201Cell> c = nsga2(12, 4);
        Nb201Cell a = SPACE.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        Nb201Cell b = SPACE.parse("|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");
        c.warmStart(List.of(a, a, b));
        assertEquals(a, propose(c));
        assertEquals(b, propose(c));
        Nb201Cell third = propose(c);
        assertTrue(!third.equals(a) && !third.equals(b));
    }

    @Test
    void tellsOfAnythingButAnOutstandingOffspringAndForeignStatesAreRefused() {
        Nsga2Controller<Nb201Cell> c = nsga2(13, 4);
        Nb201Cell cell = propose(c);
        c.tell(Observation.of(cell, 0.5));
        assertThrows(IllegalArgumentException.class, () -> c.tell(Observation.of(cell, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> c.tell(Observation.of(SPACE.sample(Rng.of(1)), 0.5)));
        ControllerState saved = c.snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nsga2Controller.of(DartsSpace.standard(), 13, g -> new Cost(0, 0),
                        Nsga2Controller.Settings.defaults()).restore(saved));
        assertTrue(e.getMessage().contains("space"), e.getMessage());
        StateReader r = saved.reader(Nsga2Controller.NAME, List.of(1));
        assertEquals("succeeded", r.objects("offspring").get(0).string("outcome"));
        assertThrows(IllegalArgumentException.class, () -> settings(3, Cost.Kind.PARAMETERS, null, null, 0.5));
        assertThrows(IllegalArgumentException.class, () -> settings(4, Cost.Kind.PARAMETERS, null, null, 2));
    }
}
