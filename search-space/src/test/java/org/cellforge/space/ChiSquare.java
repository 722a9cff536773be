package org.cellforge.space;

/** Pearson's chi-square statistic for uniformity tests. */
public final class ChiSquare {

    private ChiSquare() {
    }

    /** The statistic of observed counts against a uniform distribution over {@code counts.length} cells. */
    public static double uniform(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double expected = (double) n / counts.length;
        double sum = 0;
        for (long c : counts) {
            sum += (c - expected) * (c - expected) / expected;
        }
        return sum;
    }

    /**
     * A bound the statistic stays under with overwhelming probability for a uniform source: the mean
     * (degrees of freedom) plus six standard deviations, with a floor for small tables.
     */
    public static double bound(int cells) {
        int df = cells - 1;
        return df + 6 * Math.sqrt(2.0 * df) + 10;
    }
}
