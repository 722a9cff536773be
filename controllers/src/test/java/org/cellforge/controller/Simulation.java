package org.cellforge.controller;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.cellforge.space.Architecture;

/**
 * Drives a controller as the search engine does, with a deterministic evaluator: up to {@code slots}
 * evaluations outstanding, results told oldest first. The outstanding evaluations belong to the
 * simulation (as trials belong to the engine), so a controller can be swapped for a restored copy
 * mid-run while they stay outstanding.
 *
 * @param <A> the architecture type
 */
public final class Simulation<A extends Architecture> {

    private final ToDoubleFunction<A> score;
    private final Function<A, Cost> cost;
    private final int slots;
    private final Deque<A> outstanding = new ArrayDeque<>();
    private final List<A> proposals = new ArrayList<>();
    private final List<Observation<A>> told = new ArrayList<>();
    private Controller<A> controller;
    private String end;

    /**
     * @param score the accuracy of each architecture (any deterministic function)
     * @param cost the cost of each architecture
     * @param slots evaluations that may be outstanding at once
     */
    public Simulation(Controller<A> controller, ToDoubleFunction<A> score, Function<A, Cost> cost, int slots) {
        this.controller = controller;
        this.score = score;
        this.cost = cost;
        this.slots = slots;
    }

    /** Runs until {@code tells} results have been told in all, or the controller is done. */
    public Simulation<A> runUntil(int tells) {
        while (told.size() < tells && end == null) {
            if (outstanding.size() < slots) {
                Decision<A> d = controller.ask();
                if (d instanceof Decision.Propose<A>(A a)) {
                    proposals.add(a);
                    outstanding.add(a);
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
            Observation<A> o = Observation.of(a, Objectives.of(score.applyAsDouble(a), cost.apply(a)));
            told.add(o);
            controller.tell(o);
        }
        return this;
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

    /** Every proposal so far, in order. */
    public List<A> proposals() {
        return proposals;
    }

    /** Every result told so far, in order. */
    public List<Observation<A>> told() {
        return told;
    }

    /** Why the controller stopped, or null while it has not. */
    public String end() {
        return end;
    }
}
