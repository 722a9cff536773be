package org.cellforge.evaluator.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Single-path supernet training on both spaces: a training resumed from a stored state continues
 * step for step, controller rewards come from validation batches, and the DARTS supernet shares a
 * weight set per (input, state, operation) across genotypes.
 */
class SinglePathTrainingTest {

    private static Split split;

    @BeforeAll
    static void loadData() {
        Path dir = FashionMnist.installedDirectory().orElseThrow(() -> new AssertionError(
                "Fashion-MNIST is missing: install the " + FashionMnist.DEBIAN_PACKAGE + " package"));
        ImageSet all = FashionMnist.train(dir);
        split = Split.of(all, 128, 64, 3);
    }

    private static TrainSettings settings(int epochs) {
        return TrainSettings.defaults(epochs, 9).withBatchSize(32).withThreads(1);
    }

    /** A supernet of one space, built afresh from the same seed. */
    private record Net<A extends Architecture>(SearchSpace<A> space, Supplier<Parameters> store,
            Function<Parameters, Function<A, Network>> paths) {
    }

    private static Net<Nb201Cell> nb201() {
        Nb201Space space = Nb201Space.standard();
        Nb201Macro macro = new Nb201Macro(4, 1, 1, 10);
        Map<Parameters, Nb201Supernet> made = new HashMap<>();
        return new Net<>(space, () -> {
            Nb201Supernet s = Nb201Supernet.of(space, macro, 4);
            made.put(s.store(), s);
            return s.store();
        }, store -> made.get(store)::path);
    }

    private static Net<DartsGenotype> darts() {
        DartsSpace space = DartsSpace.standard();
        DartsMacro macro = DartsMacro.of(2, 5, 1, 10);
        Map<Parameters, DartsSupernet> made = new HashMap<>();
        return new Net<>(space, () -> {
            DartsSupernet s = DartsSupernet.of(space, macro, 4);
            made.put(s.store(), s);
            return s.store();
        }, store -> made.get(store)::path);
    }

    @Test
    void aTrainingResumedFromItsStoredStateContinuesStepForStepOnBothSpaces() {
        resumesExactly(nb201());
        resumesExactly(darts());
    }

    private static <A extends Architecture> void resumesExactly(Net<A> net) {
        Parameters straightStore = net.store().get();
        SinglePathTraining<A> straight = new SinglePathTraining<>(straightStore, net.paths().apply(straightStore),
                split, settings(2));
        List<String> straightPaths = new ArrayList<>();
        for (int epoch = 1; epoch <= 2; epoch++) {
            straight.epoch(epoch, paths(net.space(), epoch, straightPaths), Optional.empty());
        }

        Parameters firstStore = net.store().get();
        SinglePathTraining<A> first = new SinglePathTraining<>(firstStore, net.paths().apply(firstStore), split,
                settings(2));
        List<String> resumedPaths = new ArrayList<>();
        first.epoch(1, paths(net.space(), 1, resumedPaths), Optional.empty());
        byte[] state = first.state().toBytes();

        Parameters secondStore = net.store().get();
        SinglePathTraining<A> second = new SinglePathTraining<>(secondStore, net.paths().apply(secondStore), split,
                settings(2));
        second.restore(TrainingState.fromBytes(state));
        second.epoch(2, paths(net.space(), 2, resumedPaths), Optional.empty());

        assertEquals(straightPaths, resumedPaths);
        for (Map.Entry<String, INDArray> e : straightStore.weights().entrySet()) {
            assertEquals(e.getValue(), secondStore.weights().get(e.getKey()), e.getKey());
        }
        for (Map.Entry<String, INDArray> e : straightStore.buffers().entrySet()) {
            assertEquals(e.getValue(), secondStore.buffers().get(e.getKey()), e.getKey());
        }
        A probe = net.space().sample(new SplittableRandom(5));
        assertEquals(straight.estimate(probe), second.estimate(probe), net.space().name());
    }

    /** Uniform paths from a generator of the epoch, as the engine draws them, noting each. */
    private static <A extends Architecture> Supplier<A> paths(SearchSpace<A> space, int epoch, List<String> seen) {
        SplittableRandom random = new SplittableRandom(1_000 + epoch);
        return () -> {
            A a = space.sample(random);
            seen.add(a.key());
            return a;
        };
    }

    @Test
    void aStateOfAnotherSupernetIsRefusedNamingTheWeight() {
        Net<Nb201Cell> nb = nb201();
        Parameters store = nb.store().get();
        SinglePathTraining<Nb201Cell> training = new SinglePathTraining<>(store, nb.paths().apply(store), split,
                settings(1));
        Net<DartsGenotype> d = darts();
        Parameters other = d.store().get();
        TrainingState foreign = new SinglePathTraining<>(other, d.paths().apply(other), split, settings(1)).state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> training.restore(foreign));
        assertTrue(e.getMessage().contains("does not fit this supernet"), e.getMessage());
    }

    @Test
    void rewardsAreValidationBatchAccuraciesOfTheTrainedPaths() {
        Net<Nb201Cell> nb = nb201();
        Parameters store = nb.store().get();
        SinglePathTraining<Nb201Cell> training = new SinglePathTraining<>(store, nb.paths().apply(store), split,
                settings(1));
        List<String> trained = new ArrayList<>();
        List<String> rewarded = new ArrayList<>();
        List<Double> rewards = new ArrayList<>();
        training.epoch(1, paths(nb.space(), 1, trained), Optional.of((a, accuracy) -> {
            rewarded.add(a.key());
            rewards.add(accuracy);
        }));
        assertEquals(128 / 32, trained.size(), "one path per step");
        assertEquals(trained, rewarded, "each trained path is rewarded after its step");
        for (double r : rewards) {
            // A batch of 32 images: accuracies are multiples of 1/32.
            assertEquals(0, Math.abs(r * 32 - Math.rint(r * 32)), 1e-9, "reward " + r);
            assertTrue(r >= 0 && r <= 1);
        }
    }

    @Test
    void dartsPathsShareTheWeightsOfTheSameOperationOnTheSameInputAndState() {
        DartsSpace space = DartsSpace.standard();
        DartsSupernet supernet = DartsSupernet.of(space, DartsMacro.of(2, 5, 1, 10), 0);
        long total = supernet.parameterCount();
        DartsGenotype a = space.sample(new SplittableRandom(1));
        DartsGenotype b = space.sample(new SplittableRandom(2));
        Network pa = supernet.path(a);
        Network pb = supernet.path(b);
        assertEquals(total, supernet.parameterCount(), "every path's weights exist from the start");
        // Shared: the weights both networks use are the very same arrays.
        for (String name : pa.weights().keySet()) {
            if (pb.weights().containsKey(name)) {
                assertTrue(pa.weights().get(name) == pb.weights().get(name), name);
            }
        }
        // A genotype's edge into state t from input i with op o uses that pair's weights, whatever edge slot it is in.
        List<DartsGenotype.Edge> edges = a.edges(DartsGenotype.CellKind.NORMAL);
        DartsGenotype.Edge last = edges.get(edges.size() - 1);
        if (!space.op(last.op()).type().name().contains("POOL") && !last.op().equals("skip_connect")) {
            int pair = (5 - 2) * (5 + 1) / 2 + last.input();
            assertTrue(pa.weights().keySet().stream().anyMatch(n -> n.startsWith("cell0/edge" + pair + "/"
                    + last.op() + "/")), () -> "no weights named for pair " + pair + ": " + pa.weights().keySet());
        }
    }
}
