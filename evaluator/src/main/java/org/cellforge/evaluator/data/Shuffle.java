package org.cellforge.evaluator.data;

import java.util.SplittableRandom;

/** Seeded Fisher-Yates permutations, so every split and batch order is reproducible. */
public final class Shuffle {

    private Shuffle() {
    }

    /** A uniformly random permutation of {@code 0..n-1} drawn from {@code random}. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The indices {@code from..to-1}. */
    public static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
