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
 * mean of its logits over a few views of the image, as networks trained with random flips and
 * crops are often tested: the image and its mirror image ({@link #FLIP}), and those two shifted by
 * one pixel up, down, left and right ({@link #FLIP_SHIFT}), the pixels shifted in being zero as the
 * training crop's padding is. Each view costs one forward pass per image, so as many times the
 * multiply-accumulates, and no parameter. The ONNX export writes the same mean into its graph, so
 * that the exported network predicts what was measured here.
 */
public enum TestTimeAugmentation {

    /** The network's logits as they are. */
    NONE(View.IDENTITY),

    /** The mean of the logits of the image and of its mirror image. */
    FLIP(View.IDENTITY, View.MIRROR),

    /** The mean over the image and its mirror image, each as it is and shifted one pixel in each of four directions. */
    FLIP_SHIFT(shifted(View.IDENTITY, View.MIRROR));

    /**
     * One view of an image: mirrored left to right or not, then shifted so that view pixel (y, x)
     * is pixel (y + dy, x + dx) of the (mirrored) image, and zero outside it.
     *
     * @param mirrored whether the image is mirrored first
     * @param dy view row y is image row y + dy
     * @param dx view column x is (mirrored) image column x + dx
     */
    public record View(boolean mirrored, int dy, int dx) {

        static final View IDENTITY = new View(false, 0, 0);
        static final View MIRROR = new View(true, 0, 0);

        /** This view's pixels of {@code n} NCHW images of {@code channels x height x width}, in a new array. */
        public float[] of(float[] pixels, int n, int channels, int height, int width) {
            float[] out = pixels;
            if (mirrored) {
                out = pixels.clone();
                mirror(out, n * channels * height, width);
            }
            if (dy == 0 && dx == 0) {
                return out == pixels ? pixels.clone() : out;
            }
            float[] shifted = new float[out.length];
            for (int plane = 0; plane < n * channels; plane++) {
                int base = plane * height * width;
                for (int y = Math.max(0, -dy); y < Math.min(height, height - dy); y++) {
                    for (int x = Math.max(0, -dx); x < Math.min(width, width - dx); x++) {
                        shifted[base + y * width + x] = out[base + (y + dy) * width + x + dx];
                    }
                }
            }
            return shifted;
        }
    }

    private final List<View> views;

    TestTimeAugmentation(View... views) {
        this.views = List.of(views);
    }

    private static View[] shifted(View... views) {
        int[][] shifts = {{0, 0}, {-1, 0}, {1, 0}, {0, -1}, {0, 1}};
        return Arrays.stream(views)
                .flatMap(v -> Arrays.stream(shifts).map(s -> new View(v.mirrored(), s[0], s[1])))
                .toArray(View[]::new);
    }

    /** The names requests use, in declaration order. */
    public static final List<String> NAMES = Arrays.stream(values()).map(TestTimeAugmentation::label).toList();

    /** The name requests use: {@code none}, {@code flip} or {@code flip-shift}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The views whose logits are averaged, the image itself first. */
    public List<View> views() {
        return views;
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
     * {@link #NONE} it is the network's own output array, valid until its next forward pass;
     * otherwise a new array.
     */
    public INDArray logits(Network net, ImageSet data, int from, int to) {
        if (this == NONE) {
            return net.logits(Batches.range(data, from, to));
        }
        int n = to - from;
        float[] pixels = data.pixels(from, to);
        INDArray sum = null;
        for (View view : views) {
            INDArray logits = net.logits(Batches.images(view.of(pixels, n, data.channels(), data.height(),
                    data.width()), n, data.channels(), data.height(), data.width()));
            // A network's output array is rewritten by its next forward pass.
            sum = sum == null ? logits.dup() : sum.addi(logits);
        }
        return sum.divi(views.size());
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
