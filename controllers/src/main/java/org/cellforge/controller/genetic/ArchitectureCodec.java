package org.cellforge.controller.genetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.engine.InvertibleCodec;
import io.jenetics.util.Factory;

import org.cellforge.space.Architecture;
import org.cellforge.space.Encoding;
import org.cellforge.space.SearchSpace;

/**
 * A space's architectures as Jenetics genotypes: one single-gene {@link IntegerChromosome} per
 * position of the space's {@link SearchSpace#encoding() encoding}, with the range
 * {@code [0, cardinality)} of that position. One chromosome per position because Jenetics requires
 * equal ranges within a chromosome, and positions differ (a DARTS node's input pair has more values
 * than its operations). Every genotype the factory makes, and every gene-wise mix of two genotypes,
 * decodes to an architecture of the space, so operators need no repair.
 *
 * <p>The encoding's random genotypes draw each position uniformly, which is the same distribution
 * as {@link SearchSpace#sample}; they take their randomness from
 * {@link io.jenetics.util.RandomRegistry}, so callers scope their own generator around them.
 *
 * @param <A> the architecture type
 */
public final class ArchitectureCodec<A extends Architecture> implements InvertibleCodec<A, IntegerGene> {

    /** Architectures whose {@link #function} is remembered, the most recently used kept. */
    public static final int REMEMBERED_FUNCTIONS = 1 << 16;

    private final SearchSpace<A> space;
    private final Encoding<A> encoding;
    private final Genotype<IntegerGene> template;
    private final Map<A, String> functions = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<A, String> eldest) {
            return size() > REMEMBERED_FUNCTIONS;
        }
    });

    private ArchitectureCodec(SearchSpace<A> space) {
        this.space = space;
        this.encoding = space.encoding();
        List<IntegerChromosome> chromosomes = new ArrayList<>(encoding.length());
        for (int i = 0; i < encoding.length(); i++) {
            chromosomes.add(IntegerChromosome.of(0, encoding.cardinality(i), 1));
        }
        this.template = Genotype.of(chromosomes);
    }

    /**
     * The codec of {@code space}.
     *
     * @throws IllegalArgumentException if the space's encoding has no positions
     */
    public static <A extends Architecture> ArchitectureCodec<A> of(SearchSpace<A> space) {
        Objects.requireNonNull(space, "space");
        if (space.encoding().length() == 0) {
            throw new IllegalArgumentException("space " + space.name() + " has an empty encoding");
        }
        return new ArchitectureCodec<>(space);
    }

    /** The space encoded. */
    public SearchSpace<A> space() {
        return space;
    }

    @Override
    public Factory<Genotype<IntegerGene>> encoding() {
        return template;
    }

    @Override
    public Function<Genotype<IntegerGene>, A> decoder() {
        return genotype -> encoding.decode(genes(genotype));
    }

    @Override
    public Function<A, Genotype<IntegerGene>> encoder() {
        return architecture -> genotype(encoding.encode(architecture));
    }

    /**
     * The hash of what {@code architecture} computes ({@link SearchSpace#canonical}), equal for
     * architectures that compute the same function. Remembered, because a canonical form costs tens
     * of microseconds and searches ask for the same architectures again and again (parents, repeated
     * mutants).
     */
    public String function(A architecture) {
        return functions.computeIfAbsent(architecture, a -> space.canonical(a).hash());
    }

    /** The integer vector a genotype holds, position by position. */
    public int[] genes(Genotype<IntegerGene> genotype) {
        if (genotype.length() != template.length()) {
            throw new IllegalArgumentException("expected " + template.length() + " chromosomes, got "
                    + genotype.length());
        }
        int[] genes = new int[genotype.length()];
        for (int i = 0; i < genes.length; i++) {
            genes[i] = genotype.get(i).gene().intValue();
        }
        return genes;
    }

    /**
     * The genotype of an integer vector.
     *
     * @throws IllegalArgumentException naming the first position out of range
     */
    public Genotype<IntegerGene> genotype(int[] genes) {
        encoding.check(genes);
        List<IntegerChromosome> chromosomes = new ArrayList<>(genes.length);
        for (int i = 0; i < genes.length; i++) {
            chromosomes.add(IntegerChromosome.of(IntegerGene.of(genes[i], 0, encoding.cardinality(i))));
        }
        return Genotype.of(chromosomes);
    }
}
