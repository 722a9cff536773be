package org.cellforge.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, int magic, int[] header, byte[] body) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(p);
                OutputStream maybeGz = name.endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
                DataOutputStream out = new DataOutputStream(maybeGz)) {
            out.writeInt(magic);
            for (int h : header) {
                out.writeInt(h);
            }
            out.write(body);
        }
        return p;
    }

    @Test
    void readsGzippedImagesAndLabelsAndStandardizes() throws IOException {
        Path images = write("i.gz", 0x0803, new int[] {2, 2, 2}, new byte[] {0, (byte) 255, 0, 0, 0, 0, 0, 51});
        Path labels = write("l.gz", 0x0801, new int[] {2}, new byte[] {3, 9});
        ImageSet set = IdxReader.read(images, labels, 10, 0f, 1f);
        assertEquals(2, set.size());
        assertArrayEquals(new int[] {3, 9}, set.labels());
        assertEquals(1f, set.pixels()[1], 1e-6);
        assertEquals(0.2f, set.pixels()[7], 1e-6);
    }

    @Test
    void namesTheFileAndTheProblem() throws IOException {
        Path labels = write("l", 0x0801, new int[] {2}, new byte[] {1, 2});
        Path wrongMagic = write("w", 0x0801, new int[] {1, 1, 1}, new byte[] {0});
        Path truncated = write("t", 0x0803, new int[] {2, 2, 2}, new byte[] {1, 2, 3});
        Path fewer = write("f", 0x0803, new int[] {1, 1, 1}, new byte[] {1});
        DatasetException missing = assertThrows(DatasetException.class,
                () -> IdxReader.read(dir.resolve("absent"), labels, 10, 0, 1));
        assertTrue(missing.getMessage().contains("absent") && missing.getMessage().contains("does not exist"));
        assertTrue(assertThrows(DatasetException.class, () -> IdxReader.read(wrongMagic, labels, 10, 0, 1))
                .getMessage().contains("not an IDX image file"));
        assertTrue(assertThrows(DatasetException.class, () -> IdxReader.read(truncated, labels, 10, 0, 1))
                .getMessage().contains("ends before"));
        assertTrue(assertThrows(DatasetException.class, () -> IdxReader.read(fewer, labels, 10, 0, 1))
                .getMessage().contains("holds 1 images but"));
    }

    @Test
    void splitsAreDisjointAndReproducible() {
        float[] px = new float[100];
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            px[i] = i;
            y[i] = i % 10;
        }
        ImageSet all = new ImageSet(px, y, 1, 1, 1, 10);
        Split a = Split.of(all, 70, 20, 5);
        assertEquals(a, Split.of(all, 70, 20, 5));
        java.util.Set<Float> seen = new java.util.HashSet<>();
        for (float v : a.train().pixels()) {
            seen.add(v);
        }
        for (float v : a.validation().pixels()) {
            assertTrue(seen.add(v), "image " + v + " is in both splits");
        }
        assertThrows(IllegalArgumentException.class, () -> Split.of(all, 90, 20, 5));
    }
}
