package org.cellforge.evaluator.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Images in NCHW order with integer class labels. The files' unsigned bytes are kept as they were
 * read, together with the per-channel mean and standard deviation, and each value is standardized
 * to {@code (byte / 255f - mean) / std} only when images are copied out; sets that only exist as
 * floats (synthetic test data) hold those floats instead. Either way, every reader sees the same
 * standardized floats, image after image.
 */
public final class ImageSet {

    private final Storage storage;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;

    /**
     * Images already held as floats.
     *
     * @param pixels {@code size * channels * height * width} values, image after image
     * @param labels one class index per image
     * @param channels colour channels per image
     * @param height rows per image
     * @param width columns per image
     * @param classes number of classes; labels lie in {@code [0, classes)}
     */
    public ImageSet(float[] pixels, int[] labels, int channels, int height, int width, int classes) {
        this(new Floats(Objects.requireNonNull(pixels, "pixels")), labels, channels, height, width, classes);
    }

    private ImageSet(Storage storage, int[] labels, int channels, int height, int width, int classes) {
        Objects.requireNonNull(labels, "labels");
        if (channels <= 0 || height <= 0 || width <= 0 || classes <= 1) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width
                    + " with " + classes + " classes is not usable");
        }
        if ((long) labels.length * channels * height * width != storage.length()) {
            throw new IllegalArgumentException(storage.length() + " pixel values do not make " + labels.length
                    + " images of " + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        this.storage = storage;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
    }

    /**
     * Images held as the unsigned bytes of an image file, standardized per channel when read.
     *
     * @param pixels {@code size * channels * height * width} bytes, image after image
     * @param mean per channel, subtracted after scaling to [0, 1]
     * @param std per channel, divided by after subtracting the mean
     */
    public static ImageSet ofBytes(byte[] pixels, int[] labels, int channels, int height, int width, int classes,
            float[] mean, float[] std) {
        return new ImageSet(new Bytes(Objects.requireNonNull(pixels, "pixels"), channels, mean, std), labels,
                channels, height, width, classes);
    }

    /** Colour channels per image. */
    public int channels() {
        return channels;
    }

    /** Rows per image. */
    public int height() {
        return height;
    }

    /** Columns per image. */
    public int width() {
        return width;
    }

    /** Number of classes; labels lie in {@code [0, classes)}. */
    public int classes() {
        return classes;
    }

    /** One class index per image; not a copy, so not to be changed. */
    public int[] labels() {
        return labels;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Values per image. */
    public int imageLength() {
        return channels * height * width;
    }

    /**
     * Every image's standardized values in a new array. A byte-backed set grows fourfold this way:
     * batches take {@link #pixels(int, int)} or {@link #pixels(int[])} instead.
     */
    public float[] pixels() {
        return pixels(0, size());
    }

    /** The standardized values of images {@code from..to-1}, in a new array. */
    public float[] pixels(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int n = imageLength();
        float[] out = new float[(to - from) * n];
        storage.copy(from * n, out, 0, out.length, height * width);
        return out;
    }

    /** The standardized values of the images at {@code indices}, in that order, in a new array. */
    public float[] pixels(int[] indices) {
        int n = imageLength();
        float[] out = new float[indices.length * n];
        for (int i = 0; i < indices.length; i++) {
            Objects.checkIndex(indices[i], size());
            storage.copy(indices[i] * n, out, i * n, n, height * width);
        }
        return out;
    }

    /**
     * Bytes of pixel and label data this set holds on the heap (array contents, not object
     * headers): what keeping it in memory costs.
     */
    public long bytesHeld() {
        return storage.bytesHeld() + 4L * labels.length;
    }

    /** A new set holding the images at {@code indices}, in that order, stored as this one is. */
    public ImageSet select(int[] indices) {
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
        }
        return new ImageSet(storage.select(indices, imageLength()), l, channels, height, width, classes);
    }

    /** The same images with {@code classes} classes. */
    ImageSet withClasses(int classes) {
        return new ImageSet(storage, labels, channels, height, width, classes);
    }

    /**
     * The same bytes standardized with other statistics; the bytes are shared, not copied.
     *
     * @throws IllegalStateException if this set holds floats
     */
    ImageSet withStatistics(float[] mean, float[] std) {
        return new ImageSet(new Bytes(bytes(), channels, mean, std), labels, channels, height, width, classes);
    }

    /**
     * The bytes as read from the files, shared, not copied.
     *
     * @throws IllegalStateException if this set holds floats
     */
    byte[] bytes() {
        if (storage instanceof Bytes b) {
            return b.data;
        }
        throw new IllegalStateException(this + " holds floats, not the bytes of an image file");
    }

    /**
     * The images of {@code parts} one after another; all must have one shape and class count. Byte
     * sets standardized alike stay bytes; any other mix becomes floats of the same values.
     *
     * @throws IllegalArgumentException if they differ
     */
    public static ImageSet concat(List<ImageSet> parts) {
        ImageSet first = parts.get(0);
        int total = 0;
        boolean bytes = first.storage instanceof Bytes;
        for (ImageSet p : parts) {
            if (p.channels != first.channels || p.height != first.height || p.width != first.width
                    || p.classes != first.classes) {
                throw new IllegalArgumentException("cannot join " + p + " to " + first);
            }
            total = Math.addExact(total, p.size());
            bytes = bytes && p.storage instanceof Bytes b && b.sameStatistics((Bytes) first.storage);
        }
        int n = first.imageLength();
        int[] y = new int[total];
        int at = 0;
        for (ImageSet p : parts) {
            System.arraycopy(p.labels, 0, y, at, p.size());
            at += p.size();
        }
        if (bytes) {
            byte[] px = new byte[Math.multiplyExact(total, n)];
            at = 0;
            for (ImageSet p : parts) {
                System.arraycopy(((Bytes) p.storage).data, 0, px, at * n, p.size() * n);
                at += p.size();
            }
            Bytes b = (Bytes) first.storage;
            return new ImageSet(new Bytes(px, b.mean, b.std, b.table), y, first.channels, first.height, first.width,
                    first.classes);
        }
        float[] px = new float[Math.multiplyExact(total, n)];
        at = 0;
        for (ImageSet p : parts) {
            p.storage.copy(0, px, at * n, p.size() * n, p.height * p.width);
            at += p.size();
        }
        return new ImageSet(px, y, first.channels, first.height, first.width, first.classes);
    }

    /** Equal shape, classes, labels and standardized values, however each set stores them. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImageSet other && channels == other.channels && height == other.height
                && width == other.width && classes == other.classes && Arrays.equals(labels, other.labels))) {
            return false;
        }
        if (storage instanceof Bytes a && other.storage instanceof Bytes b && a.sameStatistics(b)) {
            return Arrays.equals(a.data, b.data);
        }
        for (int i = 0; i < size(); i++) {
            if (!Arrays.equals(pixels(i, i + 1), other.pixels(i, i + 1))) {
                return false;
            }
        }
        return true;
    }

    /** What {@code 31 * Arrays.hashCode(labels) + Arrays.hashCode(pixels())} gives, without the copy. */
    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size(); i++) {
            for (float v : pixels(i, i + 1)) {
                h = 31 * h + Float.floatToIntBits(v);
            }
        }
        return 31 * Arrays.hashCode(labels) + h;
    }

    @Override
    public String toString() {
        return "ImageSet[" + size() + " x " + channels + "x" + height + "x" + width + ", " + classes + " classes]";
    }

    /** Where the pixel values live. */
    private sealed interface Storage permits Bytes, Floats {

        /** Number of values. */
        int length();

        long bytesHeld();

        /**
         * Writes the standardized values {@code from..from+count-1} to {@code out} at {@code at}; an
         * image's channels are planes of {@code plane} values.
         */
        void copy(int from, float[] out, int at, int count, int plane);

        Storage select(int[] indices, int imageLength);
    }

    private record Floats(float[] data) implements Storage {

        @Override
        public int length() {
            return data.length;
        }

        @Override
        public long bytesHeld() {
            return 4L * data.length;
        }

        @Override
        public void copy(int from, float[] out, int at, int count, int plane) {
            System.arraycopy(data, from, out, at, count);
        }

        @Override
        public Storage select(int[] indices, int imageLength) {
            float[] p = new float[Math.multiplyExact(indices.length, imageLength)];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(data, indices[i] * imageLength, p, i * imageLength, imageLength);
            }
            return new Floats(p);
        }
    }

    private static final class Bytes implements Storage {

        private final byte[] data;
        private final float[] mean;
        private final float[] std;
        /**
         * The standardized value of every byte in every channel, computed once with the same float
         * operations the loaders once applied to whole files, so the values match them bit for bit.
         */
        private final float[][] table;

        Bytes(byte[] data, int channels, float[] mean, float[] std) {
            this(data, mean.clone(), std.clone(), null);
            if (this.mean.length != channels || this.std.length != channels) {
                throw new IllegalArgumentException(channels + " channels need as many means and deviations, got "
                        + this.mean.length + " and " + this.std.length);
            }
        }

        private Bytes(byte[] data, float[] mean, float[] std, float[][] table) {
            this.data = data;
            this.mean = mean;
            this.std = std;
            this.table = table != null ? table : table(mean, std);
        }

        private static float[][] table(float[] mean, float[] std) {
            float[][] t = new float[mean.length][256];
            for (int ch = 0; ch < mean.length; ch++) {
                for (int b = 0; b < 256; b++) {
                    t[ch][b] = (b / 255f - mean[ch]) / std[ch];
                }
            }
            return t;
        }

        boolean sameStatistics(Bytes other) {
            return Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
        }

        @Override
        public int length() {
            return data.length;
        }

        @Override
        public long bytesHeld() {
            return data.length;
        }

        @Override
        public void copy(int from, float[] out, int at, int count, int plane) {
            int channels = table.length;
            for (int done = 0; done < count;) {
                float[] t = table[(from + done) / plane % channels];
                int run = Math.min(count - done, plane - (from + done) % plane);
                for (int k = 0; k < run; k++) {
                    out[at + done + k] = t[data[from + done + k] & 0xFF];
                }
                done += run;
            }
        }

        @Override
        public Storage select(int[] indices, int imageLength) {
            byte[] p = new byte[Math.multiplyExact(indices.length, imageLength)];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(data, indices[i] * imageLength, p, i * imageLength, imageLength);
            }
            return new Bytes(p, mean, std, table);
        }
    }
}
