package org.cellforge.space;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.cellforge.space.ops.Op;

/**
 * A set of cell architectures: their text and JSON forms, sampling, canonical forms, the encodings
 * controllers search over, and the variation operators of evolution.
 *
 * @param <A> the architecture type
 */
public interface SearchSpace<A extends Architecture> {

    /** Stable name used in configuration, storage and exports. */
    String name();

    /** The candidate operations of an edge, in the order encodings and relaxations use. */
    List<Op> ops();

    /**
     * Reads the public text form.
     *
     * @throws ArchitectureFormatException naming the bad token and its position
     */
    A parse(String text);

    /** Whether {@code architecture} belongs to this space (its ops and its shape). */
    boolean contains(A architecture);

    /** Draws an architecture uniformly from all {@link #size()} text forms. */
    A sample(RandomGenerator random);

    /** Number of distinct text forms (not of distinct functions; see {@link #canonical}). */
    BigInteger size();

    /** What {@code architecture} computes, equal for architectures that compute the same function. */
    CanonicalForm canonical(A architecture);

    /** The fixed-length integer form. */
    Encoding<A> encoding();

    /** The shape of the continuous relaxation. */
    Relaxation relaxation();

    /**
     * The discrete architecture a relaxation's logits select ({@link Relaxation#shape()} shaped; a
     * softmax is taken per edge).
     */
    A discretize(double[][][] logits);

    /**
     * One random local change: a different architecture of this space.
     *
     * @throws IllegalStateException if the space has a single architecture
     */
    A mutate(A parent, RandomGenerator random);

    /** A child that takes each part (an edge or a node) from one of the parents. */
    A crossover(A first, A second, RandomGenerator random);

    /**
     * The versioned JSON form of an architecture: the {@link ArchitectureJson} document without
     * sections.
     *
     * @throws IllegalArgumentException if the architecture is not in this space
     */
    default String toJson(A architecture) {
        return toJson(architecture, Map.of());
    }

    /**
     * The versioned JSON form of an architecture followed by export sections, such as the macro
     * network and training results, which {@link #fromJson} reads past.
     *
     * @param sections by name, any of {@link ArchitectureJson#SECTIONS}, each a {@code Map} of
     *     JSON-ready values
     * @throws IllegalArgumentException if the architecture is not in this space, or naming a section
     *     outside {@link ArchitectureJson#SECTIONS}, one that is not a map, or content JSON cannot hold
     */
    String toJson(A architecture, Map<String, ?> sections);

    /**
     * Reads the JSON form of any version, an export with sections, or the old export document, as its
     * architecture.
     *
     * @throws org.cellforge.space.json.JsonFormatException naming the bad field, or the line and column
     *     of malformed JSON
     */
    A fromJson(String json);
}
