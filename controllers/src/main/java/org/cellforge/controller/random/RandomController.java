package org.cellforge.controller.random;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.cellforge.controller.Controller;
import org.cellforge.controller.Cost;
import org.cellforge.controller.CostLimits;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Observation;
import org.cellforge.controller.Rng;
import org.cellforge.controller.StateReader;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * Random search: uniform samples, never proposing two architectures that compute the same function
 * (equal {@link SearchSpace#canonical canonical forms}). The baseline every other controller has to
 * beat; it ignores the scores it is told. With a warm start it first proposes the given candidates.
 *
 * <p>The hard limits {@code maxParameters} and {@code maxFlops} take the same meaning as NSGA-II's,
 * so that a baseline searches the same constrained space: samples over a limit are drawn again, and
 * warm-start candidates over a limit are skipped.
 *
 * @param <A> the architecture type
 */
public final class RandomController<A extends Architecture> implements Controller<A> {

    /** Name in requests and stored searches. */
    public static final String NAME = "random";

    /** The registered strategy. */
    public static final ControllerKind KIND = new ControllerKind.Base(NAME,
            "uniform samples, each function once: the baseline",
            CostLimits.OPTIONS) {
        @Override
        public <B extends Architecture> Controller<B> create(ControllerContext<B> context) {
            return new RandomController<>(context.space(), context.seed(), context.cost(),
                    CostLimits.of(context.options()));
        }
    };

    private static final int STATE_VERSION = 1;

    /**
     * Draws tried per proposal before concluding the unseen rest of the space is too small to hit;
     * large enough to find the last unseen NAS-Bench-201 function with probability above 99.8 %.
     */
    private static final int MAX_DRAWS = 100_000;

    private final SearchSpace<A> space;
    private final Function<? super A, Cost> cost;
    private final CostLimits limits;
    private Rng random;
    /** Canonical hashes of everything proposed, in order. */
    private final Set<String> proposed = new LinkedHashSet<>();
    private final Deque<A> warm = new ArrayDeque<>();

    private RandomController(SearchSpace<A> space, long seed, Function<? super A, Cost> cost,
            CostLimits limits) {
        this.space = space;
        this.random = Rng.of(seed);
        this.cost = cost;
        this.limits = limits;
    }

    /** Random search over {@code space}; the same seed proposes the same sequence. */
    public static <A extends Architecture> RandomController<A> of(SearchSpace<A> space, long seed) {
        return new RandomController<>(java.util.Objects.requireNonNull(space, "space"), seed, a -> new Cost(0, 0),
                CostLimits.none());
    }

    /**
     * Random search over the architectures of {@code space} within {@code limits}, {@code cost} telling
     * what each costs.
     */
    public static <A extends Architecture> RandomController<A> of(SearchSpace<A> space, long seed,
            Function<? super A, Cost> cost, CostLimits limits) {
        return new RandomController<>(java.util.Objects.requireNonNull(space, "space"), seed,
                java.util.Objects.requireNonNull(cost, "cost"), java.util.Objects.requireNonNull(limits, "limits"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void warmStart(List<A> bestFirst) {
        warm.addAll(bestFirst);
    }

    @Override
    public Decision<A> ask() {
        while (!warm.isEmpty()) {
            A candidate = warm.poll();
            if (limits.allows(cost.apply(candidate)) && proposed.add(space.canonical(candidate).hash())) {
                return Decision.propose(candidate);
            }
        }
        if (space.size().compareTo(BigInteger.valueOf(proposed.size())) <= 0) {
            return Decision.done("every architecture of the space was proposed");
        }
        for (int i = 0; i < MAX_DRAWS; i++) {
            A candidate = space.sample(random);
            // The limit is checked before the function is remembered: a function over it is never proposed.
            if (limits.allows(cost.apply(candidate)) && proposed.add(space.canonical(candidate).hash())) {
                return Decision.propose(candidate);
            }
        }
        return Decision.done("no unseen function" + (limits.any() ? " within " + limits : "")
                + " in " + MAX_DRAWS + " draws: the space is exhausted");
    }

    @Override
    public void tell(Observation<A> observation) {
        // Random search does not learn; remembering what was proposed is enough to avoid repeats.
        proposed.add(space.canonical(observation.architecture()).hash());
    }

    @Override
    public ControllerState snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("random", StateReader.rng(random));
        s.put("proposed", new ArrayList<>(proposed));
        s.put("warm", warm.stream().map(Architecture::key).toList());
        return new ControllerState(NAME, STATE_VERSION, s);
    }

    @Override
    public void restore(ControllerState state) {
        StateReader r = state.reader(NAME, List.of(STATE_VERSION));
        random = r.rng("random");
        proposed.clear();
        proposed.addAll(r.strings("proposed"));
        warm.clear();
        for (String key : r.strings("warm")) {
            warm.add(space.parse(key));
        }
    }
}
