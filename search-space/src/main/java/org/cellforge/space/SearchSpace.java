package org.cellforge.space;

import java.math.BigInteger;
import java.util.random.RandomGenerator;

/**
 * A set of architectures: parse their text form and sample from them.
 *
 * @param <A> the architecture type
 */
public interface SearchSpace<A extends Architecture> {

    /** Stable name used in configuration, storage and exports. */
    String name();

    /**
     * Reads the public text form.
     *
     * @throws ArchitectureFormatException naming the bad token and its position
     */
    A parse(String text);

    /** Draws an architecture uniformly at random. */
    A sample(RandomGenerator random);

    /** Number of distinct text forms (not of distinct functions). */
    BigInteger size();
}
