package org.cellforge.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

import org.cellforge.evaluator.Augmentation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pixels held as bytes and standardized when copied out must give exactly the floats the loaders
 * produced when they standardized whole files up front: training results, recorded fingerprints
 * and benchmarks depend on every bit.
 */
class ImageSetTest {

    private static Path dir;
    private static ImageSet train;
    /** The training images as the float loader made them: {@code ((b & 0xFF) / 255f - MEAN) / STD}. */
    private static float[] floatLoader;

    @BeforeAll
    static void load() throws IOException {
        dir = FashionMnist.installedDirectory().orElseThrow(() -> new AssertionError(
                "Fashion-MNIST is missing: install the " + FashionMnist.DEBIAN_PACKAGE + " package"));
        train = FashionMnist.train(dir);
        byte[] raw = idxBytes(dir.resolve("train-images-idx3-ubyte.gz"));
        floatLoader = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            floatLoader[i] = ((raw[i] & 0xFF) / 255f - FashionMnist.MEAN) / FashionMnist.STD;
        }
    }

    @Test
    void fashionMnistValuesAndBatchesAreTheFloatLoadersBitForBit() {
        // assertArrayEquals on floats compares bit patterns, so this fails on a single ulp.
        assertArrayEquals(floatLoader, train.pixels());
        int n = train.imageLength();
        assertArrayEquals(Arrays.copyOfRange(floatLoader, 700 * n, 828 * n), train.pixels(700, 828));
        assertArrayEquals(Arrays.copyOfRange(floatLoader, 700 * n, 828 * n),
                Batches.range(train, 700, 828).data().asFloat());

        ImageSet floats = asFloats(train);
        EpochBatches a = new EpochBatches(train, 100, new SplittableRandom(1), Augmentation.none(),
                new SplittableRandom(2));
        EpochBatches b = new EpochBatches(floats, 100, new SplittableRandom(1), Augmentation.none(),
                new SplittableRandom(2));
        for (int i : new int[] {0, 1, 599}) {
            assertArrayEquals(b.get(i).images().data().asFloat(), a.get(i).images().data().asFloat());
            assertArrayEquals(b.get(i).labels(), a.get(i).labels());
        }
    }

    @Test
    void augmentedBatchesAreTheFloatLoadersAndPadWithTheStandardizedMean() {
        Split split = Split.of(train, 2_000, 500, 9);
        ImageSet floats = asFloats(split.train());
        Augmentation cropFlipCutout = new Augmentation(4, true, 16);
        EpochBatches a = new EpochBatches(split.train(), 128, new SplittableRandom(3), cropFlipCutout,
                new SplittableRandom(4));
        EpochBatches b = new EpochBatches(floats, 128, new SplittableRandom(3), cropFlipCutout,
                new SplittableRandom(4));
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).images().data().asFloat(), a.get(i).images().data().asFloat(), "batch " + i);
        }
        // No byte standardizes to exactly 0, so zeros after cropping alone are padding, filled with the
        // dataset mean (0 after standardization) rather than with black bytes (-MEAN/STD).
        for (int v = 0; v < 256; v++) {
            assertNotEquals(0f, (v / 255f - FashionMnist.MEAN) / FashionMnist.STD);
        }
        float[] cropped = new EpochBatches(split.train(), 128, new SplittableRandom(3), new Augmentation(4, false, 0),
                new SplittableRandom(4)).get(0).images().data().asFloat();
        assertTrue(count(cropped, 0f) > 28, count(cropped, 0f) + " padded values");
    }

    @Test
    void bytesTakeAQuarterOfTheHeapOfFloats() {
        long pixels = 60_000L * 28 * 28;
        assertEquals(pixels + 4 * 60_000L, train.bytesHeld());
        ImageSet floats = asFloats(train);
        assertEquals(4 * pixels + 4 * 60_000L, floats.bytesHeld());
        assertTrue(train.bytesHeld() < 0.26 * floats.bytesHeld(), train.bytesHeld() + " against "
                + floats.bytesHeld());
        // Splits and batches cut from bytes stay bytes.
        Split split = Split.of(train, 1_000, 200, 1);
        assertEquals(1_000L * 28 * 28 + 4 * 1_000, split.train().bytesHeld());
        assertEquals(1_200L * 28 * 28 + 4 * 1_200,
                ImageSet.concat(List.of(split.train(), split.validation())).bytesHeld());
    }

    @Test
    void computedStatisticsAndValuesAreTheFloatLoadersBitForBit() throws IOException {
        Dataset d = new DatasetSource(DatasetSource.Format.IDX, dir).load();
        // The float loader: scale to [0, 1], sum per channel in double in image order, then standardize.
        byte[] raw = idxBytes(dir.resolve("train-images-idx3-ubyte.gz"));
        double sum = 0;
        double squares = 0;
        for (byte x : raw) {
            double v = ((x & 0xFF) / 255f - 0f) / 1f;
            sum += v;
            squares += v * v;
        }
        float mean = (float) (sum / raw.length);
        float std = (float) Math.sqrt(squares / raw.length - mean * (double) mean);
        assertArrayEquals(new float[] {mean}, d.mean());
        assertArrayEquals(new float[] {std}, d.std());
        assertStandardized(raw, mean, std, d.train().pixels());
        assertStandardized(idxBytes(dir.resolve("t10k-images-idx3-ubyte.gz")), mean, std,
                d.test().orElseThrow().pixels());
    }

    private static void assertStandardized(byte[] raw, float mean, float std, float[] actual) {
        assertEquals(raw.length, actual.length);
        for (int i = 0; i < raw.length; i++) {
            float scaled = ((raw[i] & 0xFF) / 255f - 0f) / 1f;
            if (Float.floatToIntBits((scaled - mean) / std) != Float.floatToIntBits(actual[i])) {
                assertEquals((scaled - mean) / std, actual[i], "value " + i + " differs in its bits");
            }
        }
    }

    @Test
    void channelsAreStandardizedWithTheirOwnStatistics() {
        // Two images of 3 channels of 2x2 pixels; every channel scaled differently.
        byte[] px = new byte[2 * 3 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 11);
        }
        float[] mean = {0.1f, 0.5f, 0.9f};
        float[] std = {0.5f, 0.25f, 2f};
        ImageSet s = ImageSet.ofBytes(px, new int[] {1, 0}, 3, 2, 2, 2, mean, std);
        float[] expected = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            int ch = i / 4 % 3;
            expected[i] = ((px[i] & 0xFF) / 255f - mean[ch]) / std[ch];
        }
        assertArrayEquals(expected, s.pixels());
        assertArrayEquals(Arrays.copyOfRange(expected, 12, 24), s.pixels(1, 2));
        float[] reversed = new float[24];
        System.arraycopy(expected, 12, reversed, 0, 12);
        System.arraycopy(expected, 0, reversed, 12, 12);
        assertArrayEquals(reversed, s.pixels(new int[] {1, 0}));
        assertArrayEquals(reversed, s.select(new int[] {1, 0}).pixels());
        assertArrayEquals(new int[] {0, 1}, s.select(new int[] {1, 0}).labels());

        // The statistics are copied: changing the caller's arrays later changes nothing.
        mean[0] = 7f;
        assertArrayEquals(expected, s.pixels());
        assertThrows(IllegalArgumentException.class, () -> ImageSet.ofBytes(px, new int[] {1, 0}, 3, 2, 2, 2,
                new float[] {0f}, new float[] {1f}));
        assertThrows(IndexOutOfBoundsException.class, () -> s.pixels(1, 3));
    }

    @Test
    void equalityIsOfValuesHoweverTheyAreStored() {
        ImageSet few = train.select(new int[] {5, 9, 2});
        ImageSet floats = asFloats(few);
        assertEquals(few, floats);
        assertEquals(floats, few);
        assertEquals(few.hashCode(), floats.hashCode());
        assertEquals(31 * Arrays.hashCode(few.labels()) + Arrays.hashCode(few.pixels()), few.hashCode());
        ImageSet restandardized = few.withStatistics(new float[] {0.5f}, new float[] {1f});
        assertNotEquals(few, restandardized);
        assertArrayEquals(few.bytes(), restandardized.bytes());

        // Joining sets standardized differently keeps each one's values, as floats.
        ImageSet mixed = ImageSet.concat(List.of(few, restandardized, floats));
        assertEquals(9, mixed.size());
        float[] expected = new float[9 * few.imageLength()];
        System.arraycopy(few.pixels(), 0, expected, 0, 3 * few.imageLength());
        System.arraycopy(restandardized.pixels(), 0, expected, 3 * few.imageLength(), 3 * few.imageLength());
        System.arraycopy(few.pixels(), 0, expected, 6 * few.imageLength(), 3 * few.imageLength());
        assertArrayEquals(expected, mixed.pixels());
        assertEquals(4L * expected.length + 4 * 9, mixed.bytesHeld());
        assertFalse(few.equals(train.select(new int[] {5, 9, 3})));
    }

    private static ImageSet asFloats(ImageSet s) {
        return new ImageSet(s.pixels(), s.labels(), s.channels(), s.height(), s.width(), s.classes());
    }

    private static int count(float[] values, float v) {
        int n = 0;
        for (float x : values) {
            n += Float.compare(x, v) == 0 ? 1 : 0;
        }
        return n;
    }

    /** The pixel bytes of a gzipped IDX image file, read without the loader under test. */
    private static byte[] idxBytes(Path gz) throws IOException {
        try (InputStream in = Files.newInputStream(gz); DataInputStream data = new DataInputStream(
                new GZIPInputStream(in))) {
            assertEquals(0x0803, data.readInt());
            int n = data.readInt();
            byte[] b = new byte[n * data.readInt() * data.readInt()];
            data.readFully(b);
            return b;
        }
    }
}
