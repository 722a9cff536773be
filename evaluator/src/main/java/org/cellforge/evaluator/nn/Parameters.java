package org.cellforge.evaluator.nn;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named weights, their gradients and non-trained buffers (BatchNorm running statistics).
 *
 * <p>Layers look their weights up by name and create them on first use, drawing initial values
 * from the store's seeded generator in creation order. Two networks built on one store therefore
 * share every weight whose name they share: a supernet is a store that holds a weight set per
 * (cell position, edge, operation), and a sampled path is an ordinary network built on it.
 */
public final class Parameters {

    private final DataType dtype;
    private final SplittableRandom random;
    private final Map<String, INDArray> values = new LinkedHashMap<>();
    private final Map<String, INDArray> buffers = new LinkedHashMap<>();
    private final Map<String, INDArray> gradients = new LinkedHashMap<>();
    private final Deque<Set<String>> recording = new ArrayDeque<>();

    private Parameters(DataType dtype, long seed) {
        this.dtype = dtype;
        this.random = new SplittableRandom(seed);
    }

    /** An empty store whose weights will be drawn from {@code seed}. */
    public static Parameters of(DataType dtype, long seed) {
        if (!Objects.requireNonNull(dtype, "dtype").isFPType()) {
            throw new IllegalArgumentException("weights need a floating-point type, got " + dtype);
        }
        return new Parameters(dtype, seed);
    }

    /** The floating-point type of every array in the store. */
    public DataType dtype() {
        return dtype;
    }

    /** The weight {@code name}, created by {@code init} from the store's generator if absent. */
    public INDArray weight(String name, Function<SplittableRandom, INDArray> init) {
        noteUse(List.of(name));
        return values.computeIfAbsent(name, k -> init.apply(random).castTo(dtype));
    }

    /**
     * Starts noting the names of the weights looked up, so a network (or a part of one) knows which
     * of the store's weights are its own. Recordings nest: a name counts for every open one.
     */
    void startRecording() {
        recording.push(new LinkedHashSet<>());
    }

    /** The names looked up since the matching {@link #startRecording()}, in first-use order. */
    List<String> stopRecording() {
        return List.copyOf(recording.pop());
    }

    /** Counts {@code names} as looked up by every open recording (a reused part of a network). */
    void noteUse(List<String> names) {
        for (Set<String> open : recording) {
            open.addAll(names);
        }
    }

    /** The buffer {@code name}, created filled with {@code fill} and shape {@code shape} if absent. */
    public INDArray buffer(String name, double fill, long... shape) {
        return buffers.computeIfAbsent(name, k -> Nd4j.valueArrayOf(shape, fill, dtype));
    }

    /** Every weight, in creation order. */
    public Map<String, INDArray> weights() {
        return Collections.unmodifiableMap(values);
    }

    /** Every buffer, in creation order. */
    public Map<String, INDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** Gradients accumulated since the last {@link #clearGradients()}. */
    public Map<String, INDArray> gradients() {
        return Collections.unmodifiableMap(gradients);
    }

    /** Adds {@code gradient} to the gradient of weight {@code name}, keeping the array if it is the first. */
    public void accumulate(String name, INDArray gradient) {
        gradients.merge(name, gradient, INDArray::addi);
    }

    /** Forgets all gradients, before the next backward pass. */
    public void clearGradients() {
        gradients.clear();
    }

    /** Copies every weight and buffer of {@code other} that this store also holds, by name. */
    public void copyFrom(Parameters other) {
        other.values.forEach((name, value) -> {
            INDArray mine = values.get(name);
            if (mine != null) {
                mine.assign(value);
            }
        });
        other.buffers.forEach((name, value) -> {
            INDArray mine = buffers.get(name);
            if (mine != null) {
                mine.assign(value);
            }
        });
    }

    /**
     * PyTorch's default initialization of convolution and linear weights: uniform in
     * ±1/sqrt(fanIn), drawn in row-major order.
     */
    public static Function<SplittableRandom, INDArray> uniform(long fanIn, long... shape) {
        return random -> {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            double bound = 1.0 / Math.sqrt(fanIn);
            double[] v = new double[Math.toIntExact(n)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (random.nextDouble() * 2 - 1) * bound;
            }
            return Nd4j.create(v, shape, DataType.DOUBLE);
        };
    }

    /** A constant initializer (BatchNorm scale and shift, architecture weights). */
    public static Function<SplittableRandom, INDArray> constant(double value, long... shape) {
        return random -> Nd4j.valueArrayOf(shape, value, DataType.DOUBLE);
    }
}
