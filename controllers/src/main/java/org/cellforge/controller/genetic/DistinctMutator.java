package org.cellforge.controller.genetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import io.jenetics.Alterer;
import io.jenetics.AltererResult;
import io.jenetics.Chromosome;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;

import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * Mutation for architecture searches: every individual it alters becomes an architecture of the
 * space that computes a different function from its parent (a different
 * {@link SearchSpace#canonical canonical form}). Jenetics' own mutators may leave a genotype
 * unchanged, and a changed genotype may still compute the same function (an operation on an edge
 * whose result a {@code none} discards), so a search would spend trials on nothing new.
 *
 * <p>One attempt sets one position, chosen uniformly among those with more than one value, to
 * another value chosen uniformly: a local step, like the single edit of Real et al. (2019). Up to
 * {@link #LOCAL_ATTEMPTS} such steps are tried; if none changes the function (only a parent that
 * almost no single edit changes gets this far), up to {@link #RANDOM_ATTEMPTS} uniform genotypes are
 * tried, and if none of those differs either the space computes a single function and the mutation
 * throws. In NAS-Bench-201 and DARTS a single edit changes the function with probability at least
 * 1/6, so the fallback is practically never reached.
 *
 * <p>Randomness comes from {@link RandomRegistry#random()}, as in every Jenetics operator.
 *
 * @param <A> the architecture type
 * @param <C> the fitness type of the phenotypes altered
 */
public final class DistinctMutator<A extends Architecture, C extends Comparable<? super C>>
        implements Alterer<IntegerGene, C> {

    /** Single edits tried before falling back to uniform genotypes. */
    public static final int LOCAL_ATTEMPTS = 100;

    /** Uniform genotypes tried after the single edits. */
    public static final int RANDOM_ATTEMPTS = 100;

    private final ArchitectureCodec<A> codec;
    private final int[] mutable;

    private DistinctMutator(ArchitectureCodec<A> codec, int[] mutable) {
        this.codec = codec;
        this.mutable = mutable;
    }

    /**
     * The mutator over {@code codec}'s space.
     *
     * @throws IllegalArgumentException if no position of the encoding has two values
     */
    public static <A extends Architecture, C extends Comparable<? super C>> DistinctMutator<A, C> of(
            ArchitectureCodec<A> codec) {
        Objects.requireNonNull(codec, "codec");
        var encoding = codec.space().encoding();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < encoding.length(); i++) {
            if (encoding.cardinality(i) > 1) {
                positions.add(i);
            }
        }
        if (positions.isEmpty()) {
            throw new IllegalArgumentException("space " + codec.space().name()
                    + " has a single architecture; nothing to mutate to");
        }
        return new DistinctMutator<>(codec, positions.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Replaces every phenotype of {@code population} by an unevaluated mutant of it, made in
     * {@code generation}.
     *
     * @throws IllegalStateException if a parent has no mutant computing another function
     */
    @Override
    public AltererResult<IntegerGene, C> alter(Seq<Phenotype<IntegerGene, C>> population, long generation) {
        RandomGenerator random = RandomRegistry.random();
        ISeq<Phenotype<IntegerGene, C>> mutants = population.stream()
                .map(p -> Phenotype.<IntegerGene, C>of(mutate(p.genotype(), random), generation))
                .collect(ISeq.toISeq());
        return new AltererResult<>(mutants, mutants.size());
    }

    /**
     * A genotype whose architecture computes another function than {@code parent}'s.
     *
     * @throws IllegalStateException if none was found in the documented number of attempts
     */
    public Genotype<IntegerGene> mutate(Genotype<IntegerGene> parent, RandomGenerator random) {
        String function = codec.function(codec.decode(parent));
        for (int attempt = 0; attempt < LOCAL_ATTEMPTS; attempt++) {
            Genotype<IntegerGene> child = edit(parent, random);
            if (!codec.function(codec.decode(child)).equals(function)) {
                return child;
            }
        }
        for (int attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
            Genotype<IntegerGene> child = codec.encoding().newInstance();
            if (!codec.function(codec.decode(child)).equals(function)) {
                return child;
            }
        }
        throw new IllegalStateException("no architecture computing another function than "
                + codec.decode(parent).key() + " in " + (LOCAL_ATTEMPTS + RANDOM_ATTEMPTS) + " attempts");
    }

    private Genotype<IntegerGene> edit(Genotype<IntegerGene> parent, RandomGenerator random) {
        int position = mutable[random.nextInt(mutable.length)];
        IntegerGene old = parent.get(position).gene();
        int values = old.max() - old.min();
        // Draw among the other values only, so every edit changes the genotype.
        int value = random.nextInt(values - 1);
        if (value >= old.intValue() - old.min()) {
            value++;
        }
        value += old.min();
        List<Chromosome<IntegerGene>> chromosomes = new ArrayList<>(parent.length());
        for (int i = 0; i < parent.length(); i++) {
            Chromosome<IntegerGene> c = parent.get(i);
            chromosomes.add(i == position ? c.newInstance(ISeq.of(old.newInstance(value))) : c);
        }
        return Genotype.of(chromosomes);
    }
}
