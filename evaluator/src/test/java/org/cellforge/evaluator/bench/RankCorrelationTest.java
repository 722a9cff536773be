package org.cellforge.evaluator.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

    private static final double EPS = 1e-12;

    @Test
    void tauBOfScipysExampleWithTiesOnBothSides() {
        // Pairs: 2 concordant, 6 discordant, 2 tied in x (one of them also in y), 1 tied in y:
        // (2 - 6) / sqrt((10 - 2) (10 - 1)) = -4 / sqrt(72). scipy.stats.kendalltau gives the same.
        double[] x = {12, 2, 1, 12, 2};
        double[] y = {1, 4, 7, 1, 0};
        assertEquals(-0.4714045207910316, RankCorrelation.kendallTauB(x, y), EPS);
        assertEquals(-4 / Math.sqrt(72), RankCorrelation.kendallTauB(x, y), EPS);
    }

    @Test
    void tauBDividesByTheUntiedPairsNotAllPairs() {
        // 8 concordant, 1 discordant, one pair tied in y: tau-b 7 / sqrt(10 * 9), where tau-a would be 0.7.
        double tau = RankCorrelation.kendallTauB(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7});
        assertEquals(7 / Math.sqrt(90), tau, EPS);
        assertEquals(0.7378647873726218, tau, EPS);
    }

    @Test
    void withoutTiesTauIsConcordantMinusDiscordantOverPairsAndRhoIsTheSquaredRankDifferenceFormula() {
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {3, 1, 2, 5, 4};
        // 7 concordant, 3 discordant of 10 pairs.
        assertEquals(0.4, RankCorrelation.kendallTauB(x, y), EPS);
        // Rank differences -2, 1, 1, -1, 1: 1 - 6 * 8 / (5 * 24).
        assertEquals(0.6, RankCorrelation.spearman(x, y), EPS);
    }

    @Test
    void spearmanOfScipysExamplesWithTies() {
        // y ranks 1, 2, 3.5, 5, 3.5 against 1..5: 8 / sqrt(10 * 9.5).
        assertEquals(0.8207826816681233,
                RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}), EPS);
        // Ranks 4.5, 2.5, 1, 4.5, 2.5 against 2.5, 4, 5, 2.5, 1: -5 / sqrt(9 * 9.5).
        double rho = RankCorrelation.spearman(new double[] {12, 2, 1, 12, 2}, new double[] {1, 4, 7, 1, 0});
        assertEquals(-5 / Math.sqrt(85.5), rho, EPS);
        assertEquals(-0.5407380704358752, rho, EPS);
    }

    @Test
    void tiedValuesShareTheMeanOfTheirRanks() {
        assertArrayEquals(new double[] {4, 2, 2, 2, 5, 6.5, 6.5},
                RankCorrelation.ranks(new double[] {3, 1, 1, 1, 4, 9, 9}), EPS);
        assertArrayEquals(new double[] {2, 1, 3}, RankCorrelation.ranks(new double[] {0.5,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}), EPS);
    }

    @Test
    void infiniteScoresOrderBelowEveryFiniteOne() {
        // A proxy's -Infinity for a dead network ranks it last: 5 of 6 pairs concordant.
        assertEquals(2 / 3.0, RankCorrelation.kendallTauB(new double[] {0.9, 0.8, Double.NEGATIVE_INFINITY, 0.7},
                new double[] {3, 2, 1, 0}), EPS);
    }

    @Test
    void agreementAndReversalAreOneAndMinusOneUnderAnyMonotoneTransform() {
        SplittableRandom random = new SplittableRandom(3);
        double[] x = random.doubles(40).toArray();
        double[] up = new double[x.length];
        double[] down = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            up[i] = Math.exp(5 * x[i]);
            down[i] = -x[i] * x[i] * x[i];
        }
        assertEquals(1, RankCorrelation.kendallTauB(x, up), EPS);
        assertEquals(1, RankCorrelation.spearman(x, up), EPS);
        assertEquals(-1, RankCorrelation.kendallTauB(x, down), EPS);
        assertEquals(-1, RankCorrelation.spearman(x, down), EPS);
    }

    @Test
    void spearmanWithoutTiesMatchesTheClosedFormOnRandomData() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 57;
        double[] x = random.doubles(n).toArray();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = x[i] + random.nextGaussian();
        }
        double[] rx = RankCorrelation.ranks(x);
        double[] ry = RankCorrelation.ranks(y);
        double d2 = 0;
        for (int i = 0; i < n; i++) {
            d2 += (rx[i] - ry[i]) * (rx[i] - ry[i]);
        }
        assertEquals(1 - 6 * d2 / (n * ((double) n * n - 1)), RankCorrelation.spearman(x, y), 1e-10);
        assertTrue(RankCorrelation.kendallTauB(x, y) > 0, "y follows x, with noise");
    }

    @Test
    void aConstantSideHasNoCorrelation() {
        double[] x = {1, 2, 3};
        double[] flat = {4, 4, 4};
        assertTrue(Double.isNaN(RankCorrelation.kendallTauB(x, flat)));
        assertTrue(Double.isNaN(RankCorrelation.spearman(flat, x)));
        // Tied pairs on different sides cancel out: no concordant or discordant pair is left over.
        assertEquals(0, RankCorrelation.kendallTauB(new double[] {1, 1, 2, 2}, new double[] {1, 2, 1, 2}), EPS);
    }

    @Test
    void topOverlapCountsSharedMembersOfTheTwoTopSets() {
        double[] x = {0.9, 0.1, 0.8, 0.7, 0.2};
        double[] y = {5, 4, 1, 3, 2};
        assertArrayEquals(new int[] {0, 2, 3}, RankCorrelation.top(x, 3));
        assertArrayEquals(new int[] {0, 1, 3}, RankCorrelation.top(y, 3));
        assertEquals(2 / 3.0, RankCorrelation.topOverlap(x, y, 3), EPS);
        assertEquals(1, RankCorrelation.topOverlap(x, y, 1), EPS);
        assertEquals(1, RankCorrelation.topOverlap(x, y, 5), EPS);
        // Ties at the cut go to the earlier index.
        assertArrayEquals(new int[] {1, 0}, RankCorrelation.top(new double[] {1, 2, 1}, 2));
    }

    @Test
    void refusesMismatchedShortOrNaNInput() {
        assertThrows(IllegalArgumentException.class,
                () -> RankCorrelation.kendallTauB(new double[] {1, 2}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class,
                () -> RankCorrelation.spearman(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> RankCorrelation.kendallTauB(new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> RankCorrelation.topOverlap(new double[] {1, 2}, new double[] {1, 2}, 3));
    }
}
