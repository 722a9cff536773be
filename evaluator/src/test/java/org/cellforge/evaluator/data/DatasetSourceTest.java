package org.cellforge.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSourceTest {

    @Test
    void parsesFormatAndPathAndNamesTheAcceptedFormats() {
        DatasetSource s = DatasetSource.parse("cifar10:/data/cifar");
        assertEquals(DatasetSource.Format.CIFAR10, s.format());
        assertEquals(Path.of("/data/cifar"), s.path());
        assertEquals(s, DatasetSource.parse(s.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetSource.parse("svhn:/x"));
        assertTrue(e.getMessage().contains("[idx, cifar10, cifar100, folder]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetSource.parse("/just/a/path"));
    }

    @Test
    void readsIdxDirectoriesAndStandardizesWithTrainingStatistics(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", new int[] {0, 1, 2, 1}, new int[] {0, 255, 255, 0});
        writeIdx(dir, "t10k", new int[] {2, 0}, new int[] {255, 0});
        Dataset d = new DatasetSource(DatasetSource.Format.IDX, dir).load();
        assertEquals(3, d.train().classes());
        assertEquals(4, d.train().size());
        assertEquals(2, d.test().orElseThrow().size());
        assertEquals(0.5f, d.mean()[0], 1e-6);
        assertEquals(0.5f, d.std()[0], 1e-6);
        assertEquals(-1f, d.train().pixels()[0], 1e-6);
        assertEquals(1f, d.test().orElseThrow().pixels()[0], 1e-6);
    }

    @Test
    void readsCifar10AndCifar100Records(@TempDir Path dir) throws IOException {
        Path c10 = Files.createDirectory(dir.resolve("c10"));
        for (int b = 1; b <= 5; b++) {
            Files.write(c10.resolve("data_batch_" + b + ".bin"), cifarRecords(1, new int[] {b % 10, 9}));
        }
        Files.write(c10.resolve("test_batch.bin"), cifarRecords(1, new int[] {3}));
        Dataset d10 = DatasetSource.parse("cifar10:" + c10).load();
        assertEquals(10, d10.train().size());
        assertEquals(3, d10.train().channels());
        assertEquals(32, d10.train().height());
        assertEquals(1, d10.train().labels()[0]);
        assertEquals(9, d10.train().labels()[1]);
        assertEquals(3, d10.test().orElseThrow().labels()[0]);

        Path c100 = Files.createDirectory(dir.resolve("c100"));
        Files.write(c100.resolve("train.bin"), cifarRecords(2, new int[] {42, 99, 7}));
        Dataset d100 = DatasetSource.parse("cifar100:" + c100).load();
        assertArrayEquals(new int[] {42, 99, 7}, d100.train().labels());
        assertEquals(100, d100.train().classes());
        assertTrue(d100.test().isEmpty());
    }

    @Test
    void malformedFilesAreNamedWithTheReason(@TempDir Path dir) throws IOException {
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), cifarRecords(1, new int[] {0}));
        }
        Files.write(dir.resolve("data_batch_3.bin"), new byte[100]);
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetSource.parse("cifar10:" + dir).load());
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("3073-byte records"),
                e.getMessage());
        Files.delete(dir.resolve("data_batch_3.bin"));
        DatasetException missing = assertThrows(DatasetException.class,
                () -> DatasetSource.parse("cifar10:" + dir).load());
        assertTrue(missing.getMessage().contains("data_batch_3.bin not found"), missing.getMessage());
        DatasetException noDir = assertThrows(DatasetException.class,
                () -> DatasetSource.parse("idx:" + dir.resolve("nowhere")).load());
        assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
    }

    @Test
    void readsAFolderPerClassWithTrainAndTestSplits(@TempDir Path dir) throws IOException {
        writePng(dir.resolve("train/cat/a.png"), 0xFF0000);
        writePng(dir.resolve("train/cat/b.PNG"), 0x00FF00);
        writePng(dir.resolve("train/dog/c.png"), 0x0000FF);
        writePng(dir.resolve("test/dog/d.png"), 0x0000FF);
        Dataset d = DatasetSource.parse("folder:" + dir).load();
        assertEquals(3, d.train().size());
        assertEquals(3, d.train().channels());
        assertArrayEquals(new int[] {0, 0, 1}, d.train().labels());
        assertArrayEquals(new int[] {1}, d.test().orElseThrow().labels());
        // Red channel of the first (red) image lies above the red mean.
        assertTrue(d.train().pixels()[0] > 0);

        writePng(dir.resolve("train/dog/odd.png"), 0x0000FF, 5);
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetSource.parse("folder:" + dir).load());
        assertTrue(e.getMessage().contains("odd.png") && e.getMessage().contains("one size"), e.getMessage());
    }

    private static void writeIdx(Path dir, String prefix, int[] labels, int[] firstPixels) throws IOException {
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(images);
        out.writeInt(0x0803);
        out.writeInt(labels.length);
        out.writeInt(2);
        out.writeInt(2);
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < 4; p++) {
                out.writeByte(p == 0 ? firstPixels[i] : (i + p) % 2 * 255);
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.toByteArray());
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        DataOutputStream l = new DataOutputStream(lab);
        l.writeInt(0x0801);
        l.writeInt(labels.length);
        for (int y : labels) {
            l.writeByte(y);
        }
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), lab.toByteArray());
    }

    private static byte[] cifarRecords(int labelBytes, int[] labels) {
        int record = labelBytes + 3072;
        byte[] b = new byte[labels.length * record];
        for (int i = 0; i < labels.length; i++) {
            b[i * record + labelBytes - 1] = (byte) labels[i];
            for (int j = 0; j < 3072; j++) {
                b[i * record + labelBytes + j] = (byte) ((i * 31 + j) % 256);
            }
        }
        return b;
    }

    private static void writePng(Path file, int rgb) throws IOException {
        writePng(file, rgb, 4);
    }

    private static void writePng(Path file, int rgb, int side) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
