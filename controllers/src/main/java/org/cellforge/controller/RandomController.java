package org.cellforge.controller;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * Random search: uniform samples, never proposing two architectures that compute the same function
 * (equal {@link SearchSpace#canonical canonical forms}). The baseline every other controller has to
 * beat; it ignores the scores it is told.
 *
 * @param <A> the architecture type
 */
public final class RandomController<A extends Architecture> implements Controller<A> {

    /**
     * Draws tried per proposal before concluding the unseen rest of the space is too small to hit;
     * large enough to find the last unseen NAS-Bench-201 function with probability above 99.8 %.
     */
    private static final int MAX_DRAWS = 100_000;

    private final SearchSpace<A> space;
    private final SplittableRandom random;
    private final Set<String> proposed = new HashSet<>();

    private RandomController(SearchSpace<A> space, long seed) {
        this.space = space;
        this.random = new SplittableRandom(seed);
    }

    /** Random search over {@code space}; the same seed proposes the same sequence. */
    public static <A extends Architecture> RandomController<A> of(SearchSpace<A> space, long seed) {
        return new RandomController<>(Objects.requireNonNull(space, "space"), seed);
    }

    @Override
    public Optional<A> ask() {
        if (space.size().compareTo(BigInteger.valueOf(proposed.size())) <= 0) {
            return Optional.empty();
        }
        for (int i = 0; i < MAX_DRAWS; i++) {
            A candidate = space.sample(random);
            if (proposed.add(space.canonical(candidate).expression())) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public void tell(Observation<A> observation) {
        // Random search does not learn; remembering what was proposed is enough to avoid repeats.
        proposed.add(space.canonical(observation.architecture()).expression());
    }
}
