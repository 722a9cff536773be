package org.cellforge.evaluator.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nn.FiniteDifference;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

public class DartsNetworkTest {

    /** Every op type of the DARTS space, and a skip connection in the reduction cell (a factorized reduction). */
    public static final DartsGenotype MIXED = DartsGenotype.parse("Genotype(normal=[('sep_conv_3x3', 0), ('dil_conv_3x3', 1),"
            + " ('max_pool_3x3', 0), ('skip_connect', 2), ('avg_pool_3x3', 1), ('dil_conv_5x5', 3), ('sep_conv_5x5', 4),"
            + " ('skip_connect', 0)], normal_concat=[2, 3, 4, 5], reduce=[('skip_connect', 0), ('max_pool_3x3', 1),"
            + " ('dil_conv_3x3', 0), ('sep_conv_3x3', 2), ('avg_pool_3x3', 1), ('skip_connect', 3), ('sep_conv_5x5', 0),"
            + " ('dil_conv_5x5', 4)], reduce_concat=[2, 3, 4, 5])");

    /** Parameter counts measured on the DARTS reference modules in PyTorch (the search space's reference table). */
    @Test
    void parameterCountsMatchThePyTorchReference() throws IOException {
        Path table = Path.of("../search-space/src/test/resources/org/cellforge/space/reference-counts.tsv");
        int checked = 0;
        for (String line : Files.readAllLines(table)) {
            String[] f = line.split("\t");
            if (!f[0].equals("darts")) {
                continue;
            }
            DartsMacro macro = DartsMacro.of(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Integer.parseInt(f[5]));
            Network net = DartsNetwork.create(OpRegistry.builtIn(), DartsGenotype.parse(f[1]), macro,
                    Parameters.of(DataType.FLOAT, 0));
            assertEquals(Long.parseLong(f[7]), net.parameterCount(), f[1] + " at " + macro);
            checked++;
        }
        assertTrue(checked >= 5, "the reference table should hold DARTS networks, found " + checked);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Parameters store = Parameters.of(DataType.DOUBLE, 4);
        Network net = DartsNetwork.create(OpRegistry.builtIn(), MIXED, DartsMacro.of(2, 3, 1, 3), store);
        INDArray x = Nd4j.randn(new SplittableRandom(6).nextLong(), new long[] {4, 8, 8, 1}).castTo(DataType.DOUBLE);
        int[] labels = {0, 1, 2, 1};
        net.backward(x, labels);
        Map<String, INDArray> gradients = new HashMap<>();
        store.gradients().forEach((k, v) -> gradients.put(k, v.dup()));
        List<String> checked = new ArrayList<>();
        for (String name : store.weights().keySet()) {
            // One weight of each kind of layer in each cell is enough to cover every backward pass.
            if (!(name.contains("/dw") || name.contains("/pw") || name.contains("conv_1") || name.contains("conv_2")
                    || name.startsWith("stem") || name.startsWith("classifier") || name.contains("preprocess"))) {
                continue;
            }
            INDArray w = store.weights().get(name);
            INDArray grad = gradients.get(name);
            assertTrue(grad != null, name + " has no gradient");
            long i = w.length() / 2;
            double numeric = FiniteDifference.derivative(net, x, labels, w, i);
            assertEquals(numeric, grad.getDouble(i), 1e-5 * Math.abs(numeric) + 1e-8, name);
            checked.add(name);
        }
        assertTrue(checked.stream().anyMatch(n -> n.contains("dil_conv_5x5/dw")), "dilated filters checked");
        assertTrue(checked.stream().anyMatch(n -> n.contains("skip_connect/conv_2")), "factorized reductions checked");
    }

    @Test
    void operationsWithoutADartsFormAreNamed() {
        DartsGenotype withNone = MIXED.with(DartsGenotype.CellKind.NORMAL, List.of(
                new DartsGenotype.Edge("none", 0), new DartsGenotype.Edge("skip_connect", 1),
                new DartsGenotype.Edge("skip_connect", 0), new DartsGenotype.Edge("skip_connect", 1),
                new DartsGenotype.Edge("skip_connect", 0), new DartsGenotype.Edge("skip_connect", 1),
                new DartsGenotype.Edge("skip_connect", 0), new DartsGenotype.Edge("skip_connect", 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DartsNetwork.create(withNone, DartsMacro.of(2, 3, 1, 3), 0));
        assertTrue(e.getMessage().contains("'none'"), e.getMessage());
    }

    @Test
    void oneEpochOnASubsetBeatsChance() {
        Split split = Split.of(FashionMnist.train(FashionMnist.installedDirectory().orElseThrow()), 2_000, 500, 3);
        TrainingResult result = Trainer.train(DartsNetwork.create(MIXED, DartsMacro.of(4, 3, 1, 10), 1), split,
                TrainSettings.defaults(1, 1).withBatchSize(50), EpochListener.none());
        assertTrue(result.succeeded(), () -> result.failure().orElse(""));
        assertTrue(result.validationAccuracy() > 0.4, "validation accuracy " + result.validationAccuracy());
    }
}
