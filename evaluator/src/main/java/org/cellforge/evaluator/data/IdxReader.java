package org.cellforge.evaluator.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST-like datasets (optionally gzip-compressed): an unsigned-byte image
 * file (magic 0x0803) and a label file (magic 0x0801).
 */
public final class IdxReader {

    private static final int IMAGES_MAGIC = 0x0803;
    private static final int LABELS_MAGIC = 0x0801;

    private IdxReader() {
    }

    /**
     * Reads matching image and label files; pixels stay bytes, read as {@code (x / 255 - mean) / std}.
     */
    public static ImageSet read(Path images, Path labels, int classes, float mean, float std) {
        int[] shape = new int[3];
        byte[] raw = readImages(images, shape);
        int[] y = readLabels(labels);
        if (y.length != shape[0]) {
            throw new DatasetException(images + " holds " + shape[0] + " images but " + labels + " holds "
                    + y.length + " labels");
        }
        try {
            return ImageSet.ofBytes(raw, y, 1, shape[1], shape[2], classes, new float[] {mean}, new float[] {std});
        } catch (IllegalArgumentException e) {
            throw new DatasetException(labels + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readImages(Path file, int[] shape) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new DatasetException(file + " is not an IDX image file (magic " + Integer.toHexString(magic)
                        + ", expected 803)");
            }
            shape[0] = in.readInt();
            shape[1] = in.readInt();
            shape[2] = in.readInt();
            if (shape[0] < 0 || shape[1] <= 0 || shape[2] <= 0) {
                throw new DatasetException(file + " declares an impossible shape " + shape[0] + "x" + shape[1] + "x"
                        + shape[2]);
            }
            byte[] data = new byte[Math.multiplyExact(shape[0], shape[1] * shape[2])];
            in.readFully(data);
            return data;
        } catch (EOFException e) {
            throw new DatasetException(file + " ends before all the images its header declares", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new DatasetException(file + " is not an IDX label file (magic " + Integer.toHexString(magic)
                        + ", expected 801)");
            }
            int n = in.readInt();
            if (n < 0) {
                throw new DatasetException(file + " declares " + n + " labels");
            }
            byte[] data = new byte[n];
            in.readFully(data);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = data[i] & 0xFF;
            }
            return y;
        } catch (EOFException e) {
            throw new DatasetException(file + " ends before all the labels its header declares", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("dataset file " + file + " does not exist");
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new DataInputStream(in);
    }
}
