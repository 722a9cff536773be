package org.cellforge.controller.genetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.util.RandomRegistry;

import org.cellforge.controller.Rng;
import org.cellforge.space.Architecture;
import org.cellforge.space.Encoding;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class ArchitectureCodecTest {

    @Test
    void encodeAndDecodeAreInverseOnBothSpaces() {
        inverse(Nb201Space.standard());
        inverse(DartsSpace.standard());
    }

    private static <A extends Architecture> void inverse(SearchSpace<A> space) {
        ArchitectureCodec<A> codec = ArchitectureCodec.of(space);
        Rng rng = Rng.of(1);
        for (int i = 0; i < 300; i++) {
            A a = space.sample(rng);
            Genotype<IntegerGene> g = codec.encode(a);
            assertEquals(a, codec.decode(g));
            assertArrayEquals(space.encoding().encode(a), codec.genes(g));
            assertEquals(g, codec.genotype(codec.genes(g)));
            assertEquals(space.canonical(a).hash(), codec.function(a));
            assertEquals(space.canonical(a).hash(), codec.function(codec.decode(g)), "remembered");
        }
    }

    @Test
    void randomGenotypesCoverEveryValueOfEveryPositionAndOnlyThose() {
        covers(Nb201Space.standard());
        covers(DartsSpace.standard());
    }

    private static <A extends Architecture> void covers(SearchSpace<A> space) {
        ArchitectureCodec<A> codec = ArchitectureCodec.of(space);
        Encoding<A> encoding = space.encoding();
        List<Set<Integer>> values = new ArrayList<>();
        for (int i = 0; i < encoding.length(); i++) {
            values.add(new HashSet<>());
        }
        RandomRegistry.with(Rng.of(2)).run(() -> {
            for (int n = 0; n < 2_000; n++) {
                Genotype<IntegerGene> g = codec.encoding().newInstance();
                assertTrue(space.contains(codec.decode(g)));
                int[] genes = codec.genes(g);
                for (int i = 0; i < genes.length; i++) {
                    values.get(i).add(genes[i]);
                }
            }
        });
        for (int i = 0; i < encoding.length(); i++) {
            assertEquals(encoding.cardinality(i), values.get(i).size(), "values seen at " + encoding.describe(i));
            for (int v : values.get(i)) {
                assertTrue(v >= 0 && v < encoding.cardinality(i), encoding.describe(i) + " = " + v);
            }
        }
    }

    @Test
    void dartsPositionsHaveTheirOwnRanges() {
        DartsSpace space = DartsSpace.standard();
        Genotype<IntegerGene> g = ArchitectureCodec.of(space).encoding().newInstance();
        Set<Integer> ranges = new HashSet<>();
        for (int i = 0; i < g.length(); i++) {
            IntegerGene gene = g.get(i).gene();
            assertEquals(space.encoding().cardinality(i), gene.max() - gene.min(), space.encoding().describe(i));
            ranges.add(gene.max());
        }
        assertTrue(ranges.size() > 1, "input pairs and operations differ in range: " + ranges);
    }

    @Test
    void genotypeRefusesOutOfRangeValuesNamingThePosition() {
        ArchitectureCodec<?> codec = ArchitectureCodec.of(Nb201Space.standard());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.genotype(new int[] {0, 0, 9, 0, 0, 0}));
        assertTrue(e.getMessage().contains("position 2"), e.getMessage());
    }
}
