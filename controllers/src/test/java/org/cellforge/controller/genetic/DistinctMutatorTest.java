package org.cellforge.controller.genetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jenetics.AltererResult;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;

import org.cellforge.controller.Rng;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class DistinctMutatorTest {

    @Test
    void everyMutantIsAValidArchitectureComputingAnotherFunctionOnBothSpaces() {
        valid(Nb201Space.standard());
        valid(DartsSpace.standard());
    }

    private static <A extends Architecture> void valid(SearchSpace<A> space) {
        ArchitectureCodec<A> codec = ArchitectureCodec.of(space);
        DistinctMutator<A, Double> mutator = DistinctMutator.of(codec);
        Rng rng = Rng.of(5);
        int singleEdits = 0;
        int parents = 500;
        for (int i = 0; i < parents; i++) {
            A parent = space.sample(rng);
            Genotype<IntegerGene> child = RandomRegistry.with(rng).call(() -> mutator.alter(
                    ISeq.of(Phenotype.of(codec.encode(parent), 0, 0.5)), 1).population().get(0).genotype());
            A a = codec.decode(child);
            assertTrue(space.contains(a), a.key());
            assertNotEquals(space.canonical(parent), space.canonical(a), parent.key() + " -> " + a.key());
            if (differences(codec.genes(codec.encode(parent)), codec.genes(child)) == 1) {
                singleEdits++;
            }
        }
        // The uniform fallback is for parents that almost no edit changes; random parents are not.
        assertEquals(parents, singleEdits, "mutants one edit away from their parent");
    }

    @Test
    void aParentThatFiveOfSixEditsLeaveUnchangedStillGetsAnotherFunction() {
        Nb201Space space = Nb201Space.standard();
        // Only the edge 0->3 reaches the output: every other edit keeps computing zero.
        Nb201Cell zero = Nb201Cell.of("none", "none", "none", "none", "none", "none");
        ArchitectureCodec<Nb201Cell> codec = ArchitectureCodec.of(space);
        DistinctMutator<Nb201Cell, Double> mutator = DistinctMutator.of(codec);
        Rng rng = Rng.of(6);
        Set<String> children = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Nb201Cell child = codec.decode(mutator.mutate(codec.encode(zero), rng));
            assertNotEquals(space.canonical(zero), space.canonical(child), child.key());
            children.add(child.op(0, 3));
        }
        assertEquals(Set.of("skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"), children);
    }

    @Test
    void altersEveryPhenotypeIntoAnUnevaluatedOneOfTheGivenGeneration() {
        Nb201Space space = Nb201Space.standard();
        ArchitectureCodec<Nb201Cell> codec = ArchitectureCodec.of(space);
        DistinctMutator<Nb201Cell, Double> mutator = DistinctMutator.of(codec);
        Rng rng = Rng.of(7);
        ISeq<Phenotype<IntegerGene, Double>> population = ISeq.of(
                Phenotype.of(codec.encode(space.sample(rng)), 0, 0.1),
                Phenotype.of(codec.encode(space.sample(rng)), 0, 0.2),
                Phenotype.of(codec.encode(space.sample(rng)), 0, 0.3));
        AltererResult<IntegerGene, Double> result = RandomRegistry.with(rng).call(() -> mutator.alter(population, 4));
        assertEquals(3, result.alterations());
        assertEquals(3, result.population().size());
        for (int i = 0; i < 3; i++) {
            Phenotype<IntegerGene, Double> p = result.population().get(i);
            assertFalse(p.isEvaluated());
            assertEquals(4, p.generation());
            assertNotEquals(space.canonical(codec.decode(population.get(i).genotype())),
                    space.canonical(codec.decode(p.genotype())));
        }
    }

    @Test
    void sameGeneratorStateSameMutants() {
        DartsSpace space = DartsSpace.standard();
        List<String> first = mutants(space, 8);
        assertEquals(first, mutants(space, 8));
        assertNotEquals(first, mutants(space, 9));
    }

    private static List<String> mutants(DartsSpace space, long seed) {
        ArchitectureCodec<DartsGenotype> codec = ArchitectureCodec.of(space);
        DistinctMutator<DartsGenotype, Double> mutator = DistinctMutator.of(codec);
        Rng rng = Rng.of(seed);
        Genotype<IntegerGene> g = codec.encode(space.sample(rng));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            g = mutator.mutate(g, rng);
            out.add(codec.decode(g).key());
        }
        return out;
    }

    @Test
    void aSpaceWithASingleArchitectureHasNothingToMutateTo() {
        ArchitectureCodec<Nb201Cell> codec = ArchitectureCodec.of(Nb201Space.of(List.of("nor_conv_3x3")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistinctMutator.of(codec));
        assertTrue(e.getMessage().contains("single architecture"), e.getMessage());
    }

    private static int differences(int[] a, int[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }
}
