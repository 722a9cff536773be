package org.cellforge.evaluator.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Fashion-MNIST in its IDX layout: {@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-images-idx3-ubyte[.gz]},
 * {@code t10k-labels-idx1-ubyte[.gz]}. Pixels are standardized with the training set's mean and
 * standard deviation, as the reference PyTorch training does.
 */
public final class FashionMnist {

    /** Mean pixel value of the training images after scaling to [0, 1]. */
    public static final float MEAN = 0.2860f;

    /** Standard deviation of the training pixels after scaling to [0, 1]. */
    public static final float STD = 0.3530f;

    /** Colour channels of the images. */
    public static final int CHANNELS = 1;

    /** Side of the square images in pixels. */
    public static final int SIDE = 28;

    /** Number of classes. */
    public static final int CLASSES = 10;

    /** The Debian package that installs the files. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";

    private FashionMnist() {
    }

    /** The 60,000 training images (validation splits are cut from these). */
    public static ImageSet train(Path directory) {
        return read(directory, "train");
    }

    /** The 10,000 test images, for final reporting only, never for selection. */
    public static ImageSet test(Path directory) {
        return read(directory, "t10k");
    }

    private static ImageSet read(Path directory, String prefix) {
        if (!Files.isDirectory(directory)) {
            throw new DatasetException("Fashion-MNIST directory " + directory + " does not exist; install the "
                    + DEBIAN_PACKAGE + " package or point the data directory at the IDX files");
        }
        return IdxReader.read(find(directory, prefix + "-images-idx3-ubyte"), find(directory, prefix
                + "-labels-idx1-ubyte"), 10, MEAN, STD);
    }

    private static Path find(Path directory, String stem) {
        for (String name : List.of(stem + ".gz", stem)) {
            Path p = directory.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DatasetException("Fashion-MNIST file " + stem + "[.gz] not found in " + directory);
    }

    /**
     * Where the Debian package put the files, asked from the package database so that no
     * installation path is assumed.
     */
    public static Optional<Path> installedDirectory() {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-L", DEBIAN_PACKAGE).redirectErrorStream(true).start();
            String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return listing.lines()
                    .filter(line -> line.endsWith(TRAIN_IMAGES + ".gz"))
                    .map(line -> Path.of(line).getParent())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
