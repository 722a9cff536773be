package org.cellforge.tests;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

import org.cellforge.evaluator.data.FashionMnist;

/**
 * Small datasets written for a test: real Fashion-MNIST images scaled down (so a search learns
 * something and still runs in seconds), and random CIFAR-10 files.
 */
final class TestData {

    private static final int SIDE = 28;

    private TestData() {
    }

    /**
     * Writes an IDX dataset ({@code idx:DIR}) of the first {@code train} training and {@code test}
     * test images of the installed Fashion-MNIST, each {@code side x side} pixels (block means of the
     * 28x28 originals).
     *
     * @return the directory
     */
    static Path smallFashionMnist(Path dir, int train, int test, int side) throws IOException {
        if (side < 1 || SIDE % side != 0) {
            throw new IllegalArgumentException("side must divide " + SIDE + ", got " + side);
        }
        Path source = FashionMnist.installedDirectory().orElseThrow(() -> new AssertionError(
                "Fashion-MNIST is not installed (Debian package " + FashionMnist.DEBIAN_PACKAGE + ")"));
        copy(source, "train", dir, "train", train, side);
        copy(source, "t10k", dir, "t10k", test, side);
        return dir;
    }

    private static void copy(Path source, String from, Path dir, String to, int count, int side) throws IOException {
        int block = SIDE / side;
        try (DataInputStream images = gz(source.resolve(from + "-images-idx3-ubyte.gz"));
                DataInputStream labels = gz(source.resolve(from + "-labels-idx1-ubyte.gz"));
                DataOutputStream imagesOut = out(dir.resolve(to + "-images-idx3-ubyte"));
                DataOutputStream labelsOut = out(dir.resolve(to + "-labels-idx1-ubyte"))) {
            int magic = images.readInt();
            int available = images.readInt();
            if (magic != 0x0803 || images.readInt() != SIDE || images.readInt() != SIDE) {
                throw new IOException("unexpected header in the installed Fashion-MNIST images");
            }
            if (labels.readInt() != 0x0801 || labels.readInt() != available || count > available) {
                throw new IOException("the installed Fashion-MNIST has " + available + " images, " + count
                        + " wanted");
            }
            imagesOut.writeInt(0x0803);
            imagesOut.writeInt(count);
            imagesOut.writeInt(side);
            imagesOut.writeInt(side);
            labelsOut.writeInt(0x0801);
            labelsOut.writeInt(count);
            byte[] image = new byte[SIDE * SIDE];
            for (int i = 0; i < count; i++) {
                images.readFully(image);
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        int sum = 0;
                        for (int dy = 0; dy < block; dy++) {
                            for (int dx = 0; dx < block; dx++) {
                                sum += image[(y * block + dy) * SIDE + x * block + dx] & 0xFF;
                            }
                        }
                        imagesOut.writeByte(Math.round(sum / (float) (block * block)));
                    }
                }
                labelsOut.writeByte(labels.readUnsignedByte());
            }
        }
    }

    /**
     * Writes the five training files of a CIFAR-10 binary dataset ({@code cifar10:DIR}, no test
     * split) with {@code perFile} random records each.
     */
    static Path randomCifar10(Path dir, int perFile, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin")) {
            byte[] records = new byte[perFile * 3073];
            for (int i = 0; i < records.length; i++) {
                records[i] = (byte) (i % 3073 == 0 ? random.nextInt(10) : random.nextInt(256));
            }
            Files.write(dir.resolve(name), records);
        }
        return dir;
    }

    private static DataInputStream gz(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(in, 1 << 16));
    }

    private static DataOutputStream out(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    }
}
