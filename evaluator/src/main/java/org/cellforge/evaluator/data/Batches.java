package org.cellforge.evaluator.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Turns images, standardized as they are copied out of an {@link ImageSet}, into the NHWC arrays the networks take. */
public final class Batches {

    private Batches() {
    }

    /** All images of {@code set} as one [n, h, w, c] array. */
    public static INDArray images(ImageSet set) {
        return images(set.pixels(), set.size(), set.channels(), set.height(), set.width());
    }

    /** {@code n} images of c x h x w from {@code pixels} (NCHW, image after image) as [n, h, w, c]. */
    public static INDArray images(float[] pixels, int n, int c, int h, int w) {
        INDArray nchw = Nd4j.create(pixels, new long[] {n, c, h, w}, 'c');
        // One channel needs no reordering: NCHW and NHWC hold the same sequence of values.
        return c == 1 ? nchw.reshape(n, h, w, 1) : nchw.permute(0, 2, 3, 1).dup('c');
    }

    /** Images at positions {@code from..to-1} of {@code set}, as [to-from, h, w, c]. */
    public static INDArray range(ImageSet set, int from, int to) {
        return images(set.pixels(from, to), to - from, set.channels(), set.height(), set.width());
    }
}
