package org.cellforge.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every controller continues exactly from a snapshot taken mid-run, on both spaces, with one and
 * with several evaluations outstanding: the restart the engine does after a crash must not change
 * the search.
 */
class ResumeTest {

    private static final long SEED = 17;
    private static final int TELLS = 64;
    /** Points in the run: during the initial samples, just after them, and deep into variation. */
    private static final int[] SNAPSHOT_AFTER = {3, 10, 37};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : Controllers.askAndTell().stream().map(ControllerKind::name).toList()) {
            for (String space : List.of(Nb201Space.NAME, DartsSpace.NAME)) {
                for (int slots : new int[] {1, 3}) {
                    out.add(Arguments.of(name, space, slots));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1} with {2} slots")
    @MethodSource("cases")
    void snapshotRestoredIntoAFreshControllerContinuesAsIfUninterrupted(String name, String space, int slots) {
        if (space.equals(Nb201Space.NAME)) {
            resumes(name, Problem.nb201(), slots);
        } else {
            resumes(name, Problem.darts(), slots);
        }
    }

    @ParameterizedTest(name = "{0} on {1} with {2} slots, failed and stopped results")
    @MethodSource("cases")
    void resumesExactlyWithFailedAndStoppedResults(String name, String space, int slots) {
        if (space.equals(Nb201Space.NAME)) {
            resumesWithOutcomes(name, Problem.nb201(), slots);
        } else {
            resumesWithOutcomes(name, Problem.darts(), slots);
        }
    }

    private static <A extends Architecture> void resumes(String name, Problem<A> problem, int slots) {
        List<String> uninterrupted = keys(new Simulation<>(problem.create(name), problem::score, problem.cost(), slots,
                problem.space()).runUntil(TELLS).proposals());
        assertTrue(uninterrupted.size() >= TELLS, name + " proposed " + uninterrupted.size());
        for (int k : SNAPSHOT_AFTER) {
            Simulation<A> run = new Simulation<>(problem.create(name), problem::score, problem.cost(), slots,
                    problem.space()).runUntil(k);
            ControllerState saved = ControllerState.fromJson(run.controller().snapshot().toJson());
            Controller<A> restored = problem.fresh(name);
            restored.restore(saved);
            assertEquals(saved.toJson(), restored.snapshot().toJson(), "the restored state is the saved one");
            List<String> resumed = keys(run.swap(restored).runUntil(TELLS).proposals());
            assertEquals(uninterrupted, resumed, name + " resumed after " + k + " tells");
        }
    }

    private static <A extends Architecture> void resumesWithOutcomes(String name, Problem<A> problem, int slots) {
        List<String> uninterrupted = new Run<>(problem, problem.create(name), slots).until(TELLS).proposals;
        for (int k : SNAPSHOT_AFTER) {
            Run<A> run = new Run<>(problem, problem.create(name), slots).until(k);
            ControllerState saved = ControllerState.fromJson(run.controller.snapshot().toJson());
            Controller<A> restored = problem.fresh(name);
            restored.restore(saved);
            run.controller = restored;
            assertEquals(uninterrupted, run.until(TELLS).proposals, name + " resumed after " + k + " tells");
        }
    }

    private static <A extends Architecture> List<String> keys(List<A> architectures) {
        return architectures.stream().map(Architecture::key).toList();
    }

    /**
     * A space with a deterministic score and the cost of its standard network, and controllers with
     * default options that start from the same three warm candidates.
     */
    record Problem<A extends Architecture>(SearchSpace<A> space, Function<A, Cost> cost) {

        static Problem<Nb201Cell> nb201() {
            Nb201Macro macro = new Nb201Macro(16, 5, 3, 10);
            return new Problem<>(Nb201Space.standard(), c -> new Cost(macro.parameters(c), 0));
        }

        static Problem<DartsGenotype> darts() {
            DartsMacro macro = DartsMacro.of(16, 8, 3, 10);
            return new Problem<>(DartsSpace.standard(), g -> new Cost(macro.parameters(g), 0));
        }

        /** A score in [0, 1) fixed by the function computed, unrelated to its neighbours'. */
        double score(A a) {
            return (Long.parseUnsignedLong(space.canonical(a).hash(), 16) >>> 11) * 0x1p-53;
        }

        /** A fresh controller with default options, as a restart makes it. */
        Controller<A> fresh(String name) {
            List<Violation> violations = new ArrayList<>();
            Options options = Controllers.validate(name, Map.of(), violations);
            assertEquals(List.of(), violations);
            return Controllers.named(name).orElseThrow().create(new ControllerContext<>(space, SEED, options, cost));
        }

        /** A fresh controller given its warm start, as a search begins. */
        Controller<A> create(String name) {
            Controller<A> c = fresh(name);
            Rng proxy = Rng.of(99);
            A first = space.sample(proxy);
            c.warmStart(List.of(first, space.sample(proxy), first, space.sample(proxy)));
            return c;
        }

        /** Fails one function in seven, stops one in five early at a lower accuracy. */
        Observation<A> evaluate(A a) {
            long h = Long.parseUnsignedLong(space.canonical(a).hash().substring(0, 8), 16);
            if (h % 7 == 0) {
                return Observation.failed(a);
            }
            Objectives measured = Objectives.of(score(a), cost.apply(a));
            return h % 5 == 0 ? Observation.stopped(a, new Objectives(measured.accuracy() * 0.5, measured.parameters(),
                    measured.flops())) : Observation.of(a, measured);
        }
    }

    /**
     * Drives a controller like {@link Simulation} without answering repeats, with results that may
     * fail or stop; the outstanding evaluations belong to the run so the controller can be swapped.
     */
    private static final class Run<A extends Architecture> {
        private final Problem<A> problem;
        private final int slots;
        private final Deque<A> outstanding = new ArrayDeque<>();
        private final List<String> proposals = new ArrayList<>();
        private int told;
        private Controller<A> controller;

        Run(Problem<A> problem, Controller<A> controller, int slots) {
            this.problem = problem;
            this.controller = controller;
            this.slots = slots;
        }

        Run<A> until(int tells) {
            while (told < tells) {
                if (outstanding.size() < slots) {
                    Decision<A> d = controller.ask();
                    if (d instanceof Decision.Propose<A>(A a)) {
                        proposals.add(a.key());
                        outstanding.add(a);
                        continue;
                    }
                    if (d instanceof Decision.Done<A>(String reason)) {
                        throw new AssertionError(controller.name() + " stopped: " + reason);
                    }
                    assertTrue(!outstanding.isEmpty(), controller.name() + " waits with nothing outstanding");
                }
                controller.tell(problem.evaluate(outstanding.poll()));
                told++;
            }
            return this;
        }
    }
}
