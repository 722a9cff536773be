package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean cross-entropy of softmax(logits) against integer labels, with its gradient. Logits are
 * few (batch × classes), so they are read to the host and computed in double precision there,
 * which also keeps the loss exact when a network starts to diverge.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /** The loss, its gradient with respect to the logits, and how many rows were predicted right. */
    public record Result(double loss, INDArray gradient, int correct) {
    }

    /** Evaluates the loss on logits [n, k] for {@code labels} of length n. */
    public static Result of(INDArray logits, int[] labels) {
        int n = (int) logits.size(0);
        int k = (int) logits.size(1);
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " rows of logits");
        }
        double[] z = logits.dup('c').data().asDouble();
        double[] grad = new double[z.length];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            double max = Double.NEGATIVE_INFINITY;
            int best = 0;
            for (int j = 0; j < k; j++) {
                if (z[row + j] > max) {
                    max = z[row + j];
                    best = j;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[row + j] - max);
            }
            loss += Math.log(sum) - (z[row + labels[i]] - max);
            for (int j = 0; j < k; j++) {
                grad[row + j] = Math.exp(z[row + j] - max) / sum / n;
            }
            grad[row + labels[i]] -= 1.0 / n;
        }
        return new Result(loss / n, Nd4j.create(grad, new long[] {n, k}, 'c').castTo(logits.dataType()), correct);
    }
}
