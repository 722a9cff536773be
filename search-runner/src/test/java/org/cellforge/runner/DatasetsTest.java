package org.cellforge.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.cellforge.engine.SearchRequest;
import org.cellforge.evaluator.data.Dataset;
import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.FashionMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    /** Images per small dataset, of 8x8 pixels: 64 bytes each and a 4-byte label. */
    private static final int IMAGES = 50;
    private static final long SIZE = IMAGES * (64 + 4);

    @TempDir
    Path dir;

    private static Optional<Path> installed() {
        return Optional.of(FashionMnist.installedDirectory().orElseThrow(() -> new AssertionError(
                "Fashion-MNIST is missing: install the " + FashionMnist.DEBIAN_PACKAGE + " package")));
    }

    @Test
    void fingerprintsAreTheOnesRecordedWhenPixelsWereHeldAsFloats() {
        // Computed from the published Fashion-MNIST files before pixels were kept as bytes; searches
        // recorded them, and workers compare them with their own copy's.
        Datasets datasets = Datasets.of(installed(), 0);
        assertEquals("60000 images 1x28x28, 10 classes, sha256 a464d0f2c7d2d2dac47c378fb656e52a",
                datasets.fingerprint(SearchRequest.FASHION_MNIST));
        assertEquals("60000 images 1x28x28, 10 classes, sha256 373ae1a60ec4069d1315d0447f621b07",
                datasets.fingerprint("idx:" + installed().orElseThrow()));
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondTheBudgetAndKeepsFingerprints() throws IOException {
        String a = small("a", 1);
        String b = small("b", 2);
        String c = small("c", 3);
        Datasets datasets = Datasets.of(Optional.empty(), 2 * SIZE + SIZE / 2);
        Dataset first = datasets.load(a);
        assertEquals(SIZE, first.bytesHeld());
        String fingerprintOfB = datasets.fingerprint(b);
        assertEquals(List.of(a, b), datasets.loadedNames());
        assertSame(first, datasets.load(a));
        datasets.load(c);
        assertEquals(List.of(a, c), datasets.loadedNames(), "b was used least recently");
        assertEquals(2 * SIZE, datasets.bytesHeld());

        // Without its files b can only be read from memory: its fingerprint is, the dataset is not.
        deleteFiles(b);
        assertEquals(fingerprintOfB, datasets.fingerprint(b));
        assertThrows(DatasetException.class, () -> datasets.load(b));
        assertEquals(List.of(a, c), datasets.loadedNames());
        assertSame(first, datasets.load(a));
    }

    @Test
    void aDatasetLargerThanTheBudgetStaysUntilAnotherIsLoaded() throws IOException {
        String a = small("a", 1);
        String b = small("b", 2);
        Datasets datasets = Datasets.of(Optional.empty(), SIZE - 1);
        Dataset first = datasets.load(a);
        assertSame(first, datasets.load(a));
        assertEquals(SIZE, datasets.bytesHeld());
        datasets.load(b);
        assertEquals(List.of(b), datasets.loadedNames());
        assertEquals(SIZE, datasets.bytesHeld());
        assertThrows(IllegalArgumentException.class, () -> Datasets.of(Optional.empty(), -1));
    }

    @Test
    void aReloadedDatasetGivesTheSameValues() throws IOException {
        Datasets datasets = Datasets.of(installed(), 0);
        Dataset before = datasets.load(SearchRequest.FASHION_MNIST);
        // Bytes: a quarter of the 188 MB the training and test images took as floats.
        assertEquals(70_000L * 28 * 28 + 4 * 70_000L, before.bytesHeld());
        float[] train = before.train().pixels(1_000, 3_000);
        float[] test = before.test().orElseThrow().pixels(0, 2_000);
        String fingerprint = Datasets.fingerprint(before.train());

        datasets.load(small("other", 1));
        assertEquals(List.of(small("other", 1)), datasets.loadedNames());
        Dataset after = datasets.load(SearchRequest.FASHION_MNIST);
        assertNotSame(before, after);
        assertArrayEquals(train, after.train().pixels(1_000, 3_000));
        assertArrayEquals(test, after.test().orElseThrow().pixels(0, 2_000));
        assertArrayEquals(before.train().labels(), after.train().labels());
        assertEquals(before.train(), after.train());
        assertEquals(fingerprint, Datasets.fingerprint(after.train()));
    }

    @Test
    void theBudgetIsReadInMibAndABadValueIsNamed() {
        assertEquals(Datasets.DEFAULT_CACHE_MB, Datasets.cacheMb(null));
        assertEquals(Datasets.DEFAULT_CACHE_MB, Datasets.cacheMb(" "));
        assertEquals(256, Datasets.cacheMb("256"));
        assertEquals(0, Datasets.cacheMb("0"));
        for (String bad : List.of("-1", "1.5", "1g")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Datasets.cacheMb(bad));
            assertTrue(e.getMessage().contains(Datasets.CACHE_MB) && e.getMessage().contains(bad), e.getMessage());
        }
    }

    /** An {@code idx:} dataset of {@link #IMAGES} 8x8 images whose pixels depend on {@code seed}; its name. */
    private String small(String name, int seed) throws IOException {
        Path d = dir.resolve(name);
        if (Files.isDirectory(d)) {
            return "idx:" + d;
        }
        Files.createDirectories(d);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(images);
        out.writeInt(0x0803);
        out.writeInt(IMAGES);
        out.writeInt(8);
        out.writeInt(8);
        for (int i = 0; i < IMAGES * 64; i++) {
            out.writeByte(i * seed * 7 % 256);
        }
        Files.write(d.resolve("train-images-idx3-ubyte"), images.toByteArray());
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DataOutputStream l = new DataOutputStream(labels);
        l.writeInt(0x0801);
        l.writeInt(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            l.writeByte(i % 3);
        }
        Files.write(d.resolve("train-labels-idx1-ubyte"), labels.toByteArray());
        return "idx:" + d;
    }

    private static void deleteFiles(String name) throws IOException {
        Path d = Path.of(name.substring("idx:".length()));
        Files.delete(d.resolve("train-images-idx3-ubyte"));
        Files.delete(d.resolve("train-labels-idx1-ubyte"));
    }
}
