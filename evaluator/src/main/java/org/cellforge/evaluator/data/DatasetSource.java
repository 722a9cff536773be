package org.cellforge.evaluator.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * Where a dataset lives and in which layout, written {@code FORMAT:PATH} in a search config:
 * <ul>
 * <li>{@code idx:DIR} — MNIST layout ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * and {@code t10k-*} for the test split), as MNIST, Fashion-MNIST and KMNIST ship;</li>
 * <li>{@code cifar10:DIR} — the binary version ({@code data_batch_1.bin} … {@code data_batch_5.bin},
 * {@code test_batch.bin});</li>
 * <li>{@code cifar100:DIR} — the binary version ({@code train.bin}, {@code test.bin}; fine labels);</li>
 * <li>{@code folder:DIR} — one folder of PNG or JPEG images per class, either directly in DIR or in
 * {@code DIR/train} (and {@code DIR/test} for the test split); classes are the folder names in
 * sorted order, and all images must have one size.</li>
 * </ul>
 * Pixels are kept as bytes and standardized per channel, after scaling to [0, 1], with the training
 * images' mean and standard deviation, which are recorded with the dataset.
 *
 * @param format the layout
 * @param path the directory
 */
public record DatasetSource(Format format, Path path) {

    /** The layouts that can be read. */
    public enum Format {
        IDX, CIFAR10, CIFAR100, FOLDER;

        /** The lower-case name used in configuration. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DatasetSource {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(path, "path");
    }

    /**
     * Reads {@code FORMAT:PATH}.
     *
     * @throws IllegalArgumentException naming the accepted formats
     */
    public static DatasetSource parse(String spec) {
        int colon = spec == null ? -1 : spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("expected FORMAT:PATH with FORMAT one of " + formats() + ", got '"
                    + spec + "'");
        }
        String name = spec.substring(0, colon).toLowerCase(Locale.ROOT);
        for (Format f : Format.values()) {
            if (f.configName().equals(name)) {
                return new DatasetSource(f, Path.of(spec.substring(colon + 1)));
            }
        }
        throw new IllegalArgumentException("unknown dataset format '" + name + "'; expected one of " + formats());
    }

    private static List<String> formats() {
        return Arrays.stream(Format.values()).map(Format::configName).toList();
    }

    /** {@code FORMAT:PATH}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return format.configName() + ":" + path;
    }

    /**
     * Reads the dataset.
     *
     * @throws DatasetException naming the file and what is wrong with it
     */
    public Dataset load() {
        if (!Files.isDirectory(path)) {
            throw new DatasetException(this + ": directory " + path + " does not exist");
        }
        Dataset.Raw raw = switch (format) {
            case IDX -> idx();
            case CIFAR10 -> cifar(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                    "data_batch_4.bin", "data_batch_5.bin"), "test_batch.bin", 1, 10);
            case CIFAR100 -> cifar(List.of("train.bin"), "test.bin", 2, 100);
            case FOLDER -> folder();
        };
        return Dataset.standardized(toString(), raw);
    }

    private Dataset.Raw idx() {
        ImageSet train = IdxReader.read(find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte"), 256, 0f, 1f);
        Optional<ImageSet> test = Optional.empty();
        if (exists("t10k-images-idx3-ubyte")) {
            test = Optional.of(IdxReader.read(find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte"), 256,
                    0f, 1f));
        }
        int classes = Arrays.stream(train.labels()).max().orElse(0) + 1;
        if (classes < 2) {
            throw new DatasetException(find("train-labels-idx1-ubyte") + ": all labels are 0; a classifier needs"
                    + " at least two classes");
        }
        return new Dataset.Raw(withClasses(train, classes, "train"), test.map(t -> withClasses(t, classes, "t10k")));
    }

    private ImageSet withClasses(ImageSet s, int classes, String split) {
        try {
            return s.withClasses(classes);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(this + ": " + split + " labels: " + e.getMessage()
                    + " (the training labels define the classes)", e);
        }
    }

    private boolean exists(String stem) {
        return Files.isRegularFile(path.resolve(stem)) || Files.isRegularFile(path.resolve(stem + ".gz"));
    }

    private Path find(String stem) {
        for (String name : List.of(stem + ".gz", stem)) {
            Path p = path.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DatasetException(this + ": file " + stem + "[.gz] not found in " + path);
    }

    private Dataset.Raw cifar(List<String> trainFiles, String testFile, int labelBytes, int classes) {
        List<ImageSet> parts = new ArrayList<>();
        for (String name : trainFiles) {
            parts.add(cifarFile(path.resolve(name), labelBytes, classes));
        }
        Path test = path.resolve(testFile);
        return new Dataset.Raw(ImageSet.concat(parts),
                Files.isRegularFile(test) ? Optional.of(cifarFile(test, labelBytes, classes)) : Optional.empty());
    }

    private ImageSet cifarFile(Path file, int labelBytes, int classes) {
        int pixels = 3 * 32 * 32;
        int record = labelBytes + pixels;
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(this + ": file " + file.getFileName() + " not found in " + path);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0 || bytes.length % record != 0) {
            throw new DatasetException(file + " has " + bytes.length + " bytes, not a whole number of " + record
                    + "-byte records (" + labelBytes + " label byte(s) and 3x32x32 pixels)");
        }
        int n = bytes.length / record;
        byte[] x = new byte[n * pixels];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int base = i * record;
            // CIFAR-100 stores the coarse label first and the fine label last.
            y[i] = bytes[base + labelBytes - 1] & 0xFF;
            if (y[i] >= classes) {
                throw new DatasetException(file + ": record " + i + " has label " + y[i] + ", outside 0.."
                        + (classes - 1));
            }
            System.arraycopy(bytes, base + labelBytes, x, i * pixels, pixels);
        }
        return ImageSet.ofBytes(x, y, 3, 32, 32, classes, new float[3], ones(3));
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }

    private Dataset.Raw folder() {
        Path trainDir = Files.isDirectory(path.resolve("train")) ? path.resolve("train") : path;
        List<String> classes = subfolders(trainDir);
        if (classes.size() < 2) {
            throw new DatasetException(this + ": " + trainDir + " needs one folder of images per class, and at least"
                    + " two classes; found " + classes);
        }
        ImageSet train = readFolder(trainDir, classes);
        Path testDir = path.resolve("test");
        Optional<ImageSet> test = Optional.empty();
        if (trainDir != path && Files.isDirectory(testDir)) {
            List<String> testClasses = subfolders(testDir);
            if (!classes.containsAll(testClasses)) {
                throw new DatasetException(this + ": " + testDir + " has classes " + testClasses
                        + " that the training folder " + classes + " lacks");
            }
            ImageSet t = readFolder(testDir, classes);
            if (t.channels() != train.channels() || t.height() != train.height() || t.width() != train.width()) {
                throw new DatasetException(this + ": test images are " + t.channels() + "x" + t.height() + "x"
                        + t.width() + " but training images are " + train.channels() + "x" + train.height() + "x"
                        + train.width());
            }
            test = Optional.of(t);
        }
        return new Dataset.Raw(train, test);
    }

    private static List<String> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private ImageSet readFolder(Path dir, List<String> classes) {
        List<BufferedImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = dir.resolve(classes.get(c));
            if (!Files.isDirectory(classDir)) {
                continue;
            }
            List<Path> listed;
            try (Stream<Path> s = Files.list(classDir)) {
                listed = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                        .matches(".*\\.(png|jpe?g)")).sorted().toList();
            } catch (IOException e) {
                throw new DatasetException("cannot list " + classDir + ": " + e.getMessage(), e);
            }
            for (Path file : listed) {
                BufferedImage image;
                try {
                    image = ImageIO.read(file.toFile());
                } catch (IOException e) {
                    throw new DatasetException(file + " is not a readable image: " + e.getMessage(), e);
                }
                if (image == null) {
                    throw new DatasetException(file + " is not a readable PNG or JPEG image");
                }
                images.add(image);
                labels.add(c);
                files.add(file);
            }
        }
        if (images.isEmpty()) {
            throw new DatasetException(this + ": no PNG or JPEG images in the class folders of " + dir);
        }
        int h = images.get(0).getHeight();
        int w = images.get(0).getWidth();
        boolean gray = images.stream().allMatch(i -> i.getColorModel().getNumColorComponents() == 1);
        int channels = gray ? 1 : 3;
        byte[] x = new byte[images.size() * channels * h * w];
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = images.get(i);
            if (image.getHeight() != h || image.getWidth() != w) {
                throw new DatasetException(files.get(i) + " is " + image.getWidth() + "x" + image.getHeight()
                        + " but " + files.get(0) + " is " + w + "x" + h + ": all images must have one size");
            }
            int base = i * channels * h * w;
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    int rgb = image.getRGB(xx, yy);
                    if (gray) {
                        x[base + yy * w + xx] = (byte) rgb;
                    } else {
                        x[base + yy * w + xx] = (byte) (rgb >> 16);
                        x[base + (h + yy) * w + xx] = (byte) (rgb >> 8);
                        x[base + (2 * h + yy) * w + xx] = (byte) rgb;
                    }
                }
            }
        }
        return ImageSet.ofBytes(x, labels.stream().mapToInt(Integer::intValue).toArray(), channels, h, w,
                classes.size(), new float[channels], ones(channels));
    }
}
