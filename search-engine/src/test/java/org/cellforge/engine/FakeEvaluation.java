package org.cellforge.engine;

import java.util.Optional;
import java.util.function.ToDoubleFunction;

import org.cellforge.controller.Cost;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * An evaluation without training: each architecture's learning curve rises toward a target accuracy
 * computed from its text, so curves differ between architectures and are reproducible.
 */
final class FakeEvaluation<A extends Architecture> implements Evaluation<A> {

    /** A factory handing out fake evaluations with {@code target} accuracies. */
    static EvaluationFactory factory(ToDoubleFunction<String> target) {
        return factory(target, new java.util.ArrayList<>());
    }

    /** A factory whose evaluations are added to {@code opened}, so tests can look at what they did. */
    static EvaluationFactory factory(ToDoubleFunction<String> target, java.util.List<FakeEvaluation<?>> opened) {
        return factory(target, opened, 1);
    }

    /**
     * A factory whose retraining epochs take {@code slowdown} times what a trial's training pace
     * predicts, as a real one pays for augmentation and a larger data set that its trial did not.
     */
    static EvaluationFactory factory(ToDoubleFunction<String> target, java.util.List<FakeEvaluation<?>> opened,
            double slowdown) {
        return factory(target, opened, epoch -> slowdown);
    }

    /** As {@link #factory(ToDoubleFunction, java.util.List, double)}, slowed down by epoch: a busy machine. */
    static EvaluationFactory factory(ToDoubleFunction<String> target, java.util.List<FakeEvaluation<?>> opened,
            java.util.function.IntToDoubleFunction slowdown) {
        return factory(target, opened, slowdown, true);
    }

    /**
     * As {@link #factory(ToDoubleFunction, java.util.List, java.util.function.IntToDoubleFunction)}, with
     * {@code imagesKnown} false an evaluation that cannot say how many images a retraining trains on, so
     * that a time budget cannot be planned from its trial's pace.
     */
    static EvaluationFactory factory(ToDoubleFunction<String> target, java.util.List<FakeEvaluation<?>> opened,
            java.util.function.IntToDoubleFunction slowdown, boolean imagesKnown) {
        return new EvaluationFactory() {
            @Override
            public <B extends Architecture> Evaluation<B> open(long searchId, SearchRequest request, SearchSpace<B> space) {
                FakeEvaluation<B> e = new FakeEvaluation<>(request, target, slowdown, imagesKnown);
                opened.add(e);
                return e;
            }
        };
    }

    /** A target accuracy in [0.5, 0.9] from the architecture's text. */
    static double hashed(String arch) {
        return 0.5 + 0.4 * Math.floorMod(arch.hashCode(), 1000) / 1000.0;
    }

    private final SearchRequest request;
    private final ToDoubleFunction<String> target;
    private final java.util.function.IntToDoubleFunction slowdown;
    private final boolean imagesKnown;

    private FakeEvaluation(SearchRequest request, ToDoubleFunction<String> target,
            java.util.function.IntToDoubleFunction slowdown, boolean imagesKnown) {
        this.request = request;
        this.target = target;
        this.slowdown = slowdown;
        this.imagesKnown = imagesKnown;
    }

    @Override
    public Cost cost(A architecture) {
        return new Cost(1_000 + Math.floorMod(architecture.key().hashCode(), 1_000), 10_000);
    }

    @Override
    public double zeroCost(A architecture) {
        return target.applyAsDouble(architecture.key());
    }

    @Override
    public TrialResult train(A architecture, int trial, EpochSink epochs) {
        double goal = target.applyAsDouble(architecture.key());
        if (Double.isNaN(goal)) {
            return TrialResult.failed("loss diverged", 1, 0.1);
        }
        double accuracy = 0;
        // A trial takes TRIAL_SECONDS in all, seven tenths of each epoch training, the rest validating.
        double epochSeconds = TRIAL_SECONDS / request.epochs();
        double throughput = request.withDefaults().trainSize() / (0.7 * epochSeconds);
        for (int e = 1; e <= request.epochs(); e++) {
            accuracy = goal * e / request.epochs();
            if (!epochs.epochFinished(new EpochRecord(e, 1.0 / e, accuracy, accuracy, epochSeconds, throughput))
                    && e < request.epochs()) {
                return new TrialResult(TrialStatus.STOPPED, accuracy, e, epochSeconds * e, Optional.empty(),
                        Optional.of(new byte[] {1}));
            }
        }
        return new TrialResult(TrialStatus.SUCCEEDED, accuracy, request.epochs(), TRIAL_SECONDS, Optional.empty(),
                Optional.of(new byte[] {1}));
    }

    @Override
    public RetrainResult retrain(A architecture, int epochs, EpochSink progress) {
        // The trial's training pace, per image, times the retraining's images, times the slowdown.
        double pace = 0.7 * TRIAL_SECONDS / request.epochs() / request.withDefaults().trainSize() * RETRAINING_IMAGES;
        int planned = epochs;
        int e = 1;
        for (; e <= planned; e++) {
            double seconds = slowdown.applyAsDouble(e) * pace;
            EpochRecord record = new EpochRecord(e, 0.5, 0.9, Double.NaN, seconds, RETRAINING_IMAGES / seconds);
            progress.epochFinished(record);
            planned = Math.max(e, progress.epochs(record, planned));
        }
        return new RetrainResult(target.applyAsDouble(architecture.key()) - 0.01, RETRAINING_IMAGES, 10_000, e - 1,
                0.2, Optional.empty(), Optional.of(new byte[] {2}));
    }

    /** Wall time of a fake trial trained to its end. */
    static final double TRIAL_SECONDS = 0.1;

    /** The images the fake retraining reports having trained on. */
    static final int RETRAINING_IMAGES = 15_000;

    @Override
    public java.util.OptionalLong retrainingImages() {
        return imagesKnown ? java.util.OptionalLong.of(RETRAINING_IMAGES) : java.util.OptionalLong.empty();
    }

    /** Paths trained by every fake supernet, in order, for tests to compare runs. */
    final java.util.List<String> trainedPaths = new java.util.ArrayList<>();

    /**
     * A supernet without training: its state is a hash of every path trained, in order, so an estimate
     * (the target, moved by the state) differs whenever a run trained other paths or in another order.
     */
    @Override
    public SharedWeights<A> sharedWeights(int epochs) {
        return new SharedWeights<>() {
            private long hash = 17;

            @Override
            public EpochRecord trainEpoch(int epoch, int total, java.util.function.Supplier<A> paths,
                    Optional<java.util.function.ObjDoubleConsumer<A>> reward) {
                for (int step = 0; step < 5; step++) {
                    A a = paths.get();
                    trainedPaths.add(a.key());
                    hash = hash * 31 + a.key().hashCode();
                    reward.ifPresent(r -> r.accept(a, target.applyAsDouble(a.key())));
                }
                return new EpochRecord(epoch, 1.0 / epoch, 0.5, 0.5, 0.1, 1000);
            }

            @Override
            public double estimate(A architecture) {
                return 0.9 * target.applyAsDouble(architecture.key()) + 0.1 * Math.floorMod(hash, 1000) / 1000.0;
            }

            @Override
            public byte[] state() {
                return java.nio.ByteBuffer.allocate(8).putLong(hash).array();
            }

            @Override
            public void restore(byte[] state) {
                hash = java.nio.ByteBuffer.wrap(state).getLong();
            }

            @Override
            public long parameterCount() {
                return 1;
            }
        };
    }
}
