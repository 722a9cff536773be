package org.cellforge.evaluator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.cellforge.evaluator.data.Batches;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.nn.Network;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a trained network's prediction for an image is made of: its logits ({@link #NONE}), or the
 * mean of its logits and those of the image mirrored left to right ({@link #FLIP}), as networks
 * trained with random flips are often tested. Flipping costs a second forward pass per image, so
 * twice the multiply-accumulates, and no parameter. The ONNX export writes the same mean into its
 * graph, so that the exported network predicts what was measured here.
 */
public enum TestTimeAugmentation {

    /** The network's logits as they are. */
    NONE,

    /** The mean of the logits of the image and of its mirror image. */
    FLIP;

    /** The names requests use, in declaration order. */
    public static final List<String> NAMES = Arrays.stream(values()).map(TestTimeAugmentation::label).toList();

    /** The name requests use: {@code none} or {@code flip}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The augmentation named {@code label}.
     *
     * @throws IllegalArgumentException naming the choices for any other name
     */
    public static TestTimeAugmentation of(String label) {
        for (TestTimeAugmentation t : values()) {
            if (t.label().equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("test-time augmentation must be one of " + NAMES + ", got " + label);
    }

    /**
     * The predicted logits, [to-from, classes], of images {@code from..to-1} of {@code data}. For
     * {@link #NONE} it is the network's own output array, valid until its next forward pass; for
     * {@link #FLIP} a new array.
     */
    public INDArray logits(Network net, ImageSet data, int from, int to) {
        if (this == NONE) {
            return net.logits(Batches.range(data, from, to));
        }
        int n = to - from;
        float[] pixels = data.pixels(from, to);
        // A network's output array is rewritten by its next forward pass.
        INDArray plain = net.logits(Batches.images(pixels, n, data.channels(), data.height(), data.width())).dup();
        mirror(pixels, n * data.channels() * data.height(), data.width());
        INDArray mirrored = net.logits(Batches.images(pixels, n, data.channels(), data.height(), data.width()));
        return plain.addi(mirrored).muli(0.5);
    }

    /** Reverses each of {@code rows} rows of {@code width} values in place: NCHW images mirrored left to right. */
    static void mirror(float[] pixels, int rows, int width) {
        for (int r = 0; r < rows; r++) {
            for (int i = r * width, j = i + width - 1; i < j; i++, j--) {
                float t = pixels[i];
                pixels[i] = pixels[j];
                pixels[j] = t;
            }
        }
    }
}
