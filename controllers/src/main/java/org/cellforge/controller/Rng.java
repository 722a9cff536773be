package org.cellforge.controller;

import java.util.random.RandomGenerator;

/**
 * A seeded generator whose whole state is one {@code long}, so a controller's snapshot can hold it
 * and a restored controller draws exactly what the original would have drawn next. The JDK's
 * generators hide their state; this is SplitMix64 (Steele, Lea and Flood 2014), which passes
 * BigCrush and is what {@link java.util.SplittableRandom} uses inside.
 */
public final class Rng implements RandomGenerator {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    private Rng(long state) {
        this.state = state;
    }

    /** A generator for {@code seed}; equal seeds draw equal sequences. */
    public static Rng of(long seed) {
        // Mixing the seed keeps neighbouring seeds (0, 1, 2, ...) from starting on neighbouring states.
        return new Rng(mix(seed ^ 0x6A09E667F3BCC909L));
    }

    /** A generator continuing from a {@link #state()} read earlier. */
    public static Rng restore(long state) {
        return new Rng(state);
    }

    /** The whole state: {@link #restore(long)} continues from here. */
    public long state() {
        return state;
    }

    /** An independent generator for a sub-task, derived from this one's next draw. */
    public Rng split() {
        return new Rng(mix(nextLong()));
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
