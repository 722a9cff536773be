package org.cellforge.evaluator.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Rank agreement between two scorings of the same candidates: Kendall's tau-b and Spearman's rho,
 * both with ties handled as SciPy's {@code kendalltau} and {@code spearmanr} handle them, and the
 * overlap of the two top-k sets. Values may be infinite (they order as usual) but not NaN.
 */
public final class RankCorrelation {

    private RankCorrelation() {
    }

    /**
     * Kendall's tau-b: (concordant - discordant) / sqrt((n0 - tiesX) (n0 - tiesY)) over the n0 = n(n-1)/2
     * pairs, where tiesX counts pairs tied in x (tied in both included) and tiesY those tied in y. NaN
     * when either side is constant, as there is no ranking to compare.
     *
     * @throws IllegalArgumentException if the lengths differ, there are fewer than two values or one is NaN
     */
    public static double kendallTauB(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        long concordant = 0;
        long discordant = 0;
        long tiesX = 0;
        long tiesY = 0;
        // Quadratic, which is plenty for the hundreds of candidates a benchmark trains.
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sx = Double.compare(x[i], x[j]);
                int sy = Double.compare(y[i], y[j]);
                if (sx == 0) {
                    tiesX++;
                }
                if (sy == 0) {
                    tiesY++;
                }
                if (sx != 0 && sy != 0) {
                    if ((sx > 0) == (sy > 0)) {
                        concordant++;
                    } else {
                        discordant++;
                    }
                }
            }
        }
        long pairs = (long) n * (n - 1) / 2;
        double denominator = Math.sqrt((double) (pairs - tiesX) * (pairs - tiesY));
        return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
    }

    /**
     * Spearman's rho: the Pearson correlation of the ranks, tied values sharing the mean of the ranks
     * they span. NaN when either side is constant.
     *
     * @throws IllegalArgumentException if the lengths differ, there are fewer than two values or one is NaN
     */
    public static double spearman(double[] x, double[] y) {
        check(x, y);
        return pearson(ranks(x), ranks(y));
    }

    /** Ranks from 1 (the smallest value) to n, tied values getting the mean of the ranks they span. */
    public static double[] ranks(double[] values) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("NaN has no rank");
            }
        }
        int n = values.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[n];
        for (int start = 0; start < n;) {
            int end = start + 1;
            while (end < n && Double.compare(values[order[end]], values[order[start]]) == 0) {
                end++;
            }
            // Positions start..end-1 hold ranks start+1..end; their mean:
            double rank = (start + 1 + end) / 2.0;
            for (int p = start; p < end; p++) {
                ranks[order[p]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    /**
     * The share of the {@code k} highest by {@code x} that are also among the {@code k} highest by
     * {@code y}; ties at the cut are broken by index, the earlier candidate first.
     *
     * @throws IllegalArgumentException if the lengths differ, a value is NaN or k is not in 1..n
     */
    public static double topOverlap(double[] x, double[] y, int k) {
        check(x, y);
        if (k < 1 || k > x.length) {
            throw new IllegalArgumentException("k must be in 1.." + x.length + ", got " + k);
        }
        boolean[] inX = new boolean[x.length];
        for (int i : top(x, k)) {
            inX[i] = true;
        }
        int shared = 0;
        for (int i : top(y, k)) {
            if (inX[i]) {
                shared++;
            }
        }
        return shared / (double) k;
    }

    /** Indices of the {@code k} highest values, highest first, ties by index. */
    public static int[] top(double[] values, int k) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> values[i]).reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = Arrays.stream(a).sum() / n;
        double mb = Arrays.stream(b).sum() / n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    private static void check(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("the two scorings have " + x.length + " and " + y.length + " values");
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("a rank correlation needs at least two values, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                throw new IllegalArgumentException("value " + i + " is NaN; leave such candidates out first");
            }
        }
    }
}
