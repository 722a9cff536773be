package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Central differences of a network's training loss, for checking hand-written backward passes. */
public final class FiniteDifference {

    private FiniteDifference() {
    }

    /** d loss / d {@code w[i]} by central differences with step 1e-5; {@code w} is restored. */
    public static double derivative(Network net, INDArray x, int[] labels, INDArray w, long i) {
        double original = w.getDouble(i);
        double h = 1e-5;
        w.putScalar(i, original + h);
        double up = SoftmaxCrossEntropy.of(net.trainingLogits(x), labels).loss();
        w.putScalar(i, original - h);
        double down = SoftmaxCrossEntropy.of(net.trainingLogits(x), labels).loss();
        w.putScalar(i, original);
        return (up - down) / (2 * h);
    }
}
