package org.cellforge.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.cellforge.space.ArchitectureFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Nb201SpaceTest {

    private static final String EXAMPLE =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

    private final Nb201Space space = Nb201Space.standard();

    @Test
    void parsesEdgesInArchStringOrder() {
        Nb201Cell cell = space.parse(EXAMPLE);
        assertEquals("nor_conv_3x3", cell.op(0, 1));
        assertEquals("avg_pool_3x3", cell.op(1, 2));
        assertEquals("skip_connect", cell.op(0, 3));
        assertEquals("skip_connect", cell.op(2, 3));
        assertEquals(EXAMPLE, cell.key());
    }

    @Test
    void printThenParseIsIdentityOnSamples() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            Nb201Cell cell = space.sample(random);
            assertEquals(cell, space.parse(cell.key()));
        }
    }

    @Test
    void sameSeedSameSamplesDifferentSeedDifferentSamples() {
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        SplittableRandom c = new SplittableRandom(43);
        int differ = 0;
        for (int i = 0; i < 50; i++) {
            Nb201Cell x = space.sample(a);
            assertEquals(x, space.sample(b));
            if (!x.equals(space.sample(c))) {
                differ++;
            }
        }
        assertTrue(differ > 40, "different seeds should give mostly different samples, differed " + differ);
    }

    @Test
    void samplesEveryOperationOnEveryEdgeUniformly() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 50_000;
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Nb201Cell cell = space.sample(random);
            for (int e = 0; e < Nb201Cell.EDGES; e++) {
                counts.merge(e + ":" + cell.op(e), 1, Integer::sum);
            }
        }
        assertEquals(Nb201Cell.EDGES * space.ops().size(), counts.size());
        double expected = n / (double) space.ops().size();
        // Binomial standard deviation is about 89 here; five of them is a generous bound.
        counts.forEach((k, v) -> assertTrue(Math.abs(v - expected) < 450, k + " drawn " + v + " times"));
    }

    @Test
    void sizeIsFiveToTheSixth() {
        assertEquals(15_625, space.size().intValueExact());
        Set<Nb201Cell> seen = new HashSet<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            seen.add(space.sample(random));
        }
        assertEquals(15_625, seen.size(), "200k draws should reach every arch string");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "|conv_5x5~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;conv_5x5;1",
        "|nor_conv_3x3~0|+|nor_conv_3x3~1|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;1;31",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|;|nor_conv_3x3~0|avg_pool_3x3~1|;17",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|+|none~0|;+|none~0|;95",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1||;'';80",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|none~3|;none~3|;95",
        "|nor_conv_3x3|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;nor_conv_3x3;1",
        "nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;nor_conv_3x3~0|;0",
    })
    void rejectsMalformedStringsNamingTokenAndPosition(String text, String token, int position) {
        ArchitectureFormatException e = assertThrows(ArchitectureFormatException.class, () -> space.parse(text));
        assertEquals(token, e.token(), e.getMessage());
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(text.startsWith(token, position), "the reported token must be found at the reported position");
        assertTrue(e.getMessage().contains("position " + position), e.getMessage());
    }

    @Test
    void rejectsEmptyInput() {
        assertThrows(ArchitectureFormatException.class, () -> space.parse(" "));
        assertThrows(ArchitectureFormatException.class, () -> space.parse(null));
    }

    @Test
    void customOperationSetsParseOnlyTheirOwnOps() {
        Nb201Space small = Nb201Space.of(java.util.List.of("skip_connect", "nor_conv_3x3"));
        assertEquals(64, small.size().intValueExact());
        assertThrows(ArchitectureFormatException.class, () -> small.parse(EXAMPLE));
        assertThrows(IllegalArgumentException.class, () -> Nb201Space.of(java.util.List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> Nb201Space.of(java.util.List.of("bad|name")));
    }

    @Test
    void edgeIndexingRoundTrips() {
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            assertEquals(e, Nb201Cell.edge(Nb201Cell.from(e), Nb201Cell.to(e)));
        }
        assertThrows(IllegalArgumentException.class, () -> Nb201Cell.edge(2, 1));
        assertThrows(IllegalArgumentException.class, () -> Nb201Cell.of("none"));
    }
}
