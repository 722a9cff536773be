package org.cellforge.evaluator.nn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Elementwise passes with one coefficient per channel over dense NHWC activations, in Java over
 * the arrays' native memory.
 *
 * <p>ND4J takes one native call and one pass over memory per arithmetic step: a BatchNorm's
 * training forward and backward were fifteen passes and, with the ReLU backward kernel, about 40 %
 * of a training step of a narrow network (BENCHMARKS.md). Fused here they are four, and a pass
 * copies the activations tile by tile into a Java array whose length is a multiple of the channel
 * count, so lane {@code j} of every tile belongs to channel {@code j % C}: the JIT vectorizes the
 * loop over the tile against coefficient arrays tiled the same way. Sums are kept per lane in the
 * element type and added into doubles every {@value #FLUSH} tiles, so rounding does not grow with
 * the batch.
 */
final class ChannelKernels {

    /** Elements a tile aims at: small enough that a tile and its coefficients stay in L1. */
    private static final int TILE = 1024;

    /** Tiles between flushes of the per-lane sums into double. */
    private static final int FLUSH = 256;

    /** Elements below which a pass runs on the caller alone: a hand-off costs more than it saves. */
    private static final long MIN_PART = 64 * 1024;

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private ChannelKernels() {
    }

    /**
     * Per channel of {@code x}, viewed as [rows, C]: {@code sum[c] = Σ (x - shift[c])} and
     * {@code sumSquares[c] = Σ (x - shift[c])²}. A shift near the mean keeps the variance
     * {@code sumSquares/m - (sum/m)²} from cancelling away when the mean is large.
     */
    static void sums(INDArray x, double[] shift, double[] sum, double[] sumSquares) {
        pairSums(null, x, shift, sum, sumSquares);
    }

    /**
     * {@code out = (x - center[c])·scale[c] + shift[c]}; {@code out} may be {@code x}. Centering first
     * keeps the result's precision when the center is far from zero.
     */
    static void affine(INDArray x, double[] center, double[] scale, double[] shift, INDArray out) {
        combine(null, null, x, center, scale, shift, out);
    }

    /**
     * Per channel: {@code sumG[c] = Σ g} and {@code sumGX[c] = Σ g·(x - shift[c])}, the sums a
     * BatchNorm's backward pass needs.
     */
    static void productSums(INDArray g, INDArray x, double[] shift, double[] sumG, double[] sumGX) {
        requireSameShape(g, x);
        pairSums(g, x, shift, sumG, sumGX);
    }

    /**
     * With {@code v = x - shift[c]}: {@code first[c] += Σ v} and {@code second[c] += Σ v²}, or with
     * {@code g} given, {@code first[c] += Σ g} and {@code second[c] += Σ g·v}.
     */
    private static void pairSums(INDArray g, INDArray x, double[] shift, double[] first, double[] second) {
        int c = shift.length;
        MemorySegment gs = g == null ? null : segment(g, c);
        MemorySegment xs = segment(x, c);
        long n = x.length();
        if (x.dataType() == DataType.FLOAT) {
            int tile = tile(c);
            float[] k = tiled(shift, tile);
            inParts(n, tile, new double[][] {first, second}, (from, to, out) -> {
                float[] gb = new float[tile];
                float[] xb = new float[tile];
                float[] s = new float[tile];
                float[] q = new float[tile];
                for (long t = from; t < to; t++) {
                    MemorySegment.copy(xs, FLOAT, t * tile * Float.BYTES, xb, 0, tile);
                    if (gs == null) {
                        sumTile(xb, k, s, q);
                    } else {
                        MemorySegment.copy(gs, FLOAT, t * tile * Float.BYTES, gb, 0, tile);
                        productTile(gb, xb, k, s, q);
                    }
                    if ((t - from + 1) % FLUSH == 0 || t + 1 == to) {
                        flush(s, out[0]);
                        flush(q, out[1]);
                    }
                }
            });
        }
        for (long i = tail(x, c); i < n; i++) {
            int ch = (int) (i % c);
            double v = get(xs, x, i) - shift[ch];
            double w = gs == null ? v : get(gs, g, i);
            first[ch] += w;
            second[ch] += w * v;
        }
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(x);
    }

    /**
     * {@code out = g·a[c] + (x - center[c])·b[c] + d[c]}, without the first term when {@code g} is
     * null; {@code out} may be {@code g} or {@code x}.
     */
    static void combine(INDArray g, double[] a, INDArray x, double[] center, double[] b, double[] d, INDArray out) {
        int c = b.length;
        if (g != null) {
            requireSameShape(g, x);
        }
        requireSameShape(x, out);
        MemorySegment gs = g == null ? null : segment(g, c);
        MemorySegment xs = segment(x, c);
        MemorySegment os = segment(out, c);
        long n = x.length();
        if (x.dataType() == DataType.FLOAT) {
            int tile = tile(c);
            float[] at = g == null ? null : tiled(a, tile);
            float[] kt = tiled(center, tile);
            float[] bt = tiled(b, tile);
            float[] dt = tiled(d, tile);
            inParts(n, tile, new double[0][], (from, to, unused) -> {
                float[] gb = new float[tile];
                float[] xb = new float[tile];
                for (long t = from; t < to; t++) {
                    long offset = t * tile * Float.BYTES;
                    MemorySegment.copy(xs, FLOAT, offset, xb, 0, tile);
                    if (gs == null) {
                        affineTile(xb, kt, bt, dt);
                        MemorySegment.copy(xb, 0, os, FLOAT, offset, tile);
                    } else {
                        MemorySegment.copy(gs, FLOAT, offset, gb, 0, tile);
                        combineTile(gb, at, xb, kt, bt, dt);
                        MemorySegment.copy(gb, 0, os, FLOAT, offset, tile);
                    }
                }
            });
        }
        for (long i = tail(x, c); i < n; i++) {
            int ch = (int) (i % c);
            double v = (get(xs, x, i) - center[ch]) * b[ch] + d[ch] + (g == null ? 0 : get(gs, g, i) * a[ch]);
            set(os, out, i, v);
        }
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(out);
    }

    /** {@code out = x > 0 ? g : 0}, the gradient through a ReLU whose input was {@code x}. */
    static void reluBackward(INDArray x, INDArray g, INDArray out) {
        requireSameShape(g, x);
        requireSameShape(g, out);
        MemorySegment xs = segment(x, 1);
        MemorySegment gs = segment(g, 1);
        MemorySegment os = segment(out, 1);
        long n = x.length();
        if (x.dataType() == DataType.FLOAT) {
            inParts(n, TILE, new double[0][], (from, to, unused) -> reluRange(xs, gs, os, from * TILE, to * TILE));
        }
        for (long i = tail(x, (long) TILE); i < n; i++) {
            set(os, out, i, get(xs, x, i) > 0 ? get(gs, g, i) : 0);
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(out);
    }

    /** A branch-free select over the native memory itself, which the JIT vectorizes as a blend. */
    private static void reluRange(MemorySegment x, MemorySegment g, MemorySegment out, long from, long to) {
        for (long i = from; i < to; i++) {
            float gv = g.getAtIndex(FLOAT, i);
            out.setAtIndex(FLOAT, i, x.getAtIndex(FLOAT, i) > 0f ? gv : 0f);
        }
    }

    /** The work of one part: tiles {@code [from, to)}, adding its sums into {@code out}. */
    @FunctionalInterface
    private interface Part {
        void run(long from, long to, double[][] out);
    }

    /**
     * Runs {@code part} over the whole tiles of {@code n} elements, split into contiguous ranges
     * over as many threads as OpenMP's count on the calling thread (the caller's and the common
     * pool's) when the array is large enough to pay for the hand-off. Each range sums into arrays
     * of its own, added into {@code sums} at the end in range order, so results do not depend on
     * timing. Callers keep their arrays reachable until it returns: the parts see only addresses.
     */
    private static void inParts(long n, int tile, double[][] sums, Part part) {
        long tiles = n / tile;
        // As many threads as ND4J's own kernels use on the calling thread (a training's thread setting).
        int threads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        int parts = (int) Math.max(1, Math.min(threads, n / MIN_PART));
        if (parts == 1 || tiles < parts) {
            part.run(0, tiles, sums);
            return;
        }
        double[][][] partial = new double[parts][sums.length][];
        for (int p = 0; p < parts; p++) {
            for (int k = 0; k < sums.length; k++) {
                partial[p][k] = new double[sums[k].length];
            }
        }
        List<ForkJoinTask<?>> forked = new ArrayList<>(parts - 1);
        RuntimeException failure = null;
        try {
            for (int p = 1; p < parts; p++) {
                long from = tiles * p / parts;
                long to = tiles * (p + 1) / parts;
                double[][] out = partial[p];
                forked.add(ForkJoinPool.commonPool().submit(() -> part.run(from, to, out)));
            }
            part.run(0, tiles / parts, partial[0]);
        } catch (RuntimeException e) {
            failure = e;
        }
        // Never return, even by an exception, while a part still reads or writes the arrays: every
        // part is waited for, whichever failed.
        for (ForkJoinTask<?> t : forked) {
            try {
                t.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        for (double[][] p : partial) {
            for (int k = 0; k < sums.length; k++) {
                for (int ch = 0; ch < sums[k].length; ch++) {
                    sums[k][ch] += p[k][ch];
                }
            }
        }
    }

    /** First element the tiled float loops leave to the scalar tail: all of a double array. */
    private static long tail(INDArray a, long tile) {
        return a.dataType() == DataType.FLOAT ? a.length() / tile * tile : 0;
    }

    private static long tail(INDArray a, int channels) {
        return tail(a, (long) tile(channels));
    }

    private static double get(MemorySegment s, INDArray a, long i) {
        return a.dataType() == DataType.FLOAT ? s.getAtIndex(FLOAT, i) : s.getAtIndex(DOUBLE, i);
    }

    private static void set(MemorySegment s, INDArray a, long i, double v) {
        if (a.dataType() == DataType.FLOAT) {
            s.setAtIndex(FLOAT, i, (float) v);
        } else {
            s.setAtIndex(DOUBLE, i, v);
        }
    }

    /**
     * {@code a} itself when the kernels can read it in place (dense, C order), otherwise a dense
     * copy: layers' own buffers always are, a caller's view may not be.
     */
    static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /**
     * Whether {@code a}'s elements lie one after another in C order. Dimensions of size 1 may have
     * any stride: ND4J's own check ({@code Shape.hasDefaultStridesForShape}) refuses [128, 1, 1, 16]
     * with strides [16, 16, 16, 1], the activations of a network whose last stage is 1×1.
     */
    static boolean isDense(INDArray a) {
        long expected = 1;
        for (int i = a.rank() - 1; i >= 0; i--) {
            if (a.size(i) != 1 && a.stride(i) != expected) {
                return false;
            }
            expected *= a.size(i);
        }
        return true;
    }

    // Each loop over a tile is a method of its own, so that the JIT compiles it as a small hot loop
    // and vectorizes it whatever the kernel around it does.

    private static void sumTile(float[] x, float[] k, float[] s, float[] q) {
        for (int j = 0; j < x.length; j++) {
            float v = x[j] - k[j];
            s[j] += v;
            q[j] += v * v;
        }
    }

    private static void productTile(float[] g, float[] x, float[] k, float[] s, float[] p) {
        for (int j = 0; j < g.length; j++) {
            s[j] += g[j];
            p[j] += g[j] * (x[j] - k[j]);
        }
    }

    private static void affineTile(float[] x, float[] k, float[] b, float[] d) {
        for (int j = 0; j < x.length; j++) {
            x[j] = (x[j] - k[j]) * b[j] + d[j];
        }
    }

    private static void combineTile(float[] g, float[] a, float[] x, float[] k, float[] b, float[] d) {
        for (int j = 0; j < g.length; j++) {
            g[j] = g[j] * a[j] + (x[j] - k[j]) * b[j] + d[j];
        }
    }

    /** Tile length: the multiple of {@code channels} nearest {@link #TILE} from below, at least one row. */
    static int tile(int channels) {
        return channels * Math.max(1, TILE / channels);
    }

    private static float[] tiled(double[] perChannel, int tile) {
        float[] t = new float[tile];
        for (int j = 0; j < tile; j++) {
            t[j] = (float) perChannel[j % perChannel.length];
        }
        return t;
    }

    /** Adds lane sums into their channels' doubles and clears the lanes. */
    private static void flush(float[] lanes, double[] channels) {
        for (int j = 0; j < lanes.length; j++) {
            channels[j % channels.length] += lanes[j];
            lanes[j] = 0;
        }
    }

    /**
     * The native memory of {@code a}, which must be dense in C order with {@code channels} as its
     * last dimension, float or double.
     */
    private static MemorySegment segment(INDArray a, int channels) {
        DataType type = a.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("channel kernels take float or double arrays, got " + type);
        }
        if (!isDense(a) || a.length() % channels != 0
                || (channels > 1 && a.size(a.rank() - 1) != channels)) {
            throw new IllegalArgumentException("channel kernels take dense C-order arrays with " + channels
                    + " channels last, got shape " + java.util.Arrays.toString(a.shape()) + " strides "
                    + java.util.Arrays.toString(a.stride()) + " order " + a.ordering());
        }
        long width = type.width();
        // A view's buffer already points at its own offset; an array offset beyond its buffer's would be
        // added (in this ND4J release the two are always equal, so nothing is).
        long address = a.data().addressPointer().address() + (a.offset() - a.data().offset()) * width;
        return MemorySegment.ofAddress(address).reinterpret(a.length() * width);
    }

    private static void requireSameShape(INDArray a, INDArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape()) || a.dataType() != b.dataType()) {
            throw new IllegalArgumentException("channel kernels need arrays of one shape and type, got "
                    + java.util.Arrays.toString(a.shape()) + " " + a.dataType() + " and "
                    + java.util.Arrays.toString(b.shape()) + " " + b.dataType());
        }
    }
}
