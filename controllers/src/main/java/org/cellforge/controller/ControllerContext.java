package org.cellforge.controller;

import java.util.Objects;
import java.util.function.Function;

import org.cellforge.controller.option.Options;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * What a controller is made from.
 *
 * @param space the space searched
 * @param seed the seed of every random choice the controller makes
 * @param options the controller's validated options
 * @param cost what an architecture costs in the network the search trains (for limits and fronts)
 * @param <A> the architecture type
 */
public record ControllerContext<A extends Architecture>(SearchSpace<A> space, long seed, Options options,
        Function<? super A, Cost> cost) {

    public ControllerContext {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(cost, "cost");
    }

    /** A context without options whose costs are all zero, for controllers that ignore costs. */
    public static <A extends Architecture> ControllerContext<A> of(SearchSpace<A> space, long seed) {
        return new ControllerContext<>(space, seed, Options.none(), a -> new Cost(0, 0));
    }
}
