package org.cellforge.controller;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * Drives a controller as the search engine does, with a deterministic evaluator: up to {@code slots}
 * evaluations outstanding, results told oldest first. The outstanding evaluations belong to the
 * simulation (as trials belong to the engine), so a controller can be swapped for a restored copy
 * mid-run while they stay outstanding.
 *
 * <p>With a space given, it also answers as the engine does a proposal whose function (canonical
 * form) was evaluated before: from the earlier result, at once, without spending a trial.
 *
 * @param <A> the architecture type
 */
public final class Simulation<A extends Architecture> {

    /** Cached answers in a row after which the engine gives up on a controller, as the engine does. */
    public static final int MAX_CONSECUTIVE_DUPLICATES = 10_000;

    private final ToDoubleFunction<A> score;
    private final Function<A, Cost> cost;
    private final int slots;
    private final SearchSpace<A> space;
    private final Deque<A> outstanding = new ArrayDeque<>();
    private final List<A> proposals = new ArrayList<>();
    private final List<A> trials = new ArrayList<>();
    private final List<Observation<A>> told = new ArrayList<>();
    private final Map<String, Objectives> evaluated = new HashMap<>();
    private Controller<A> controller;
    private String end;
    private int duplicatesInARow;

    /**
     * A simulation that evaluates every proposal, repeated functions included.
     *
     * @param score the accuracy of each architecture (any deterministic function)
     * @param cost the cost of each architecture
     * @param slots evaluations that may be outstanding at once
     */
    public Simulation(Controller<A> controller, ToDoubleFunction<A> score, Function<A, Cost> cost, int slots) {
        this(controller, score, cost, slots, null);
    }

    /**
     * A simulation that answers repeated functions of {@code space} from the earlier result.
     */
    public Simulation(Controller<A> controller, ToDoubleFunction<A> score, Function<A, Cost> cost, int slots,
            SearchSpace<A> space) {
        this.controller = controller;
        this.score = score;
        this.cost = cost;
        this.slots = slots;
        this.space = space;
    }

    /** Runs until {@code tells} results have been told in all, or the controller is done. */
    public Simulation<A> runUntil(int tells) {
        return run(() -> told.size() >= tells);
    }

    /** Runs until {@code n} trials (evaluations that were not answered from earlier results) have ended. */
    public Simulation<A> runTrials(int n) {
        return run(() -> trials.size() - outstanding.size() >= n);
    }

    private Simulation<A> run(java.util.function.BooleanSupplier enough) {
        while (!enough.getAsBoolean() && end == null) {
            if (outstanding.size() < slots) {
                Decision<A> d = controller.ask();
                if (d instanceof Decision.Propose<A>(A a)) {
                    proposals.add(a);
                    Objectives known = space == null ? null : evaluated.get(space.canonical(a).hash());
                    if (known != null) {
                        if (++duplicatesInARow >= MAX_CONSECUTIVE_DUPLICATES) {
                            end = "only evaluated functions proposed " + duplicatesInARow + " times in a row";
                        }
                        tell(Observation.of(a, known));
                    } else {
                        duplicatesInARow = 0;
                        trials.add(a);
                        outstanding.add(a);
                    }
                    continue;
                }
                if (d instanceof Decision.Done<A>(String reason)) {
                    end = reason;
                    break;
                }
                if (outstanding.isEmpty()) {
                    throw new AssertionError(controller.name() + " waits with nothing outstanding");
                }
            }
            A a = outstanding.poll();
            Objectives o = Objectives.of(score.applyAsDouble(a), cost.apply(a));
            if (space != null) {
                evaluated.put(space.canonical(a).hash(), o);
            }
            tell(Observation.of(a, o));
        }
        return this;
    }

    private void tell(Observation<A> o) {
        told.add(o);
        controller.tell(o);
    }

    /** Replaces the controller, as a restart does, keeping outstanding evaluations. */
    public Simulation<A> swap(Controller<A> restored) {
        this.controller = restored;
        return this;
    }

    /** The current controller. */
    public Controller<A> controller() {
        return controller;
    }

    /** Every proposal so far, in order, answered from earlier results or not. */
    public List<A> proposals() {
        return proposals;
    }

    /** Proposals that were evaluated (not answered from earlier results), in order. */
    public List<A> trials() {
        return trials;
    }

    /** Every result told so far, in order. */
    public List<Observation<A>> told() {
        return told;
    }

    /** One-based number of the first trial satisfying {@code goal}, or {@code trials().size() + 1} if none did. */
    public int firstTrial(Predicate<A> goal) {
        for (int i = 0; i < trials.size(); i++) {
            if (goal.test(trials.get(i))) {
                return i + 1;
            }
        }
        return trials.size() + 1;
    }

    /** Why the controller stopped, or null while it has not. */
    public String end() {
        return end;
    }
}
