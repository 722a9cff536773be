package org.cellforge.runner;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.evaluator.data.Dataset;
import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.DatasetSource;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;

/**
 * Loads each dataset a search names once per process: Fashion-MNIST from the Debian package (or the
 * directory in {@value #FASHION_MNIST_DIRECTORY}), any other as {@code FORMAT:PATH}.
 */
public final class Datasets {

    /** Environment variable naming the Fashion-MNIST directory. */
    public static final String FASHION_MNIST_DIRECTORY = "CELLFORGE_DATASET_FASHION_MNIST";

    private final Optional<Path> fashionMnist;
    private final Map<String, Dataset> loaded = new HashMap<>();
    private final Map<String, String> fingerprints = new HashMap<>();

    private Datasets(Optional<Path> fashionMnist) {
        this.fashionMnist = fashionMnist;
    }

    /** Datasets with Fashion-MNIST in {@code directory}, or where the Debian package put it when empty. */
    public static Datasets of(Optional<Path> fashionMnist) {
        return new Datasets(fashionMnist);
    }

    /** Datasets with Fashion-MNIST where {@value #FASHION_MNIST_DIRECTORY} says, or the Debian package's. */
    public static Datasets fromEnvironment() {
        return of(Optional.ofNullable(System.getenv(FASHION_MNIST_DIRECTORY)).filter(s -> !s.isBlank()).map(Path::of));
    }

    /**
     * The dataset called {@code name}.
     *
     * @throws DatasetException if its files are missing or malformed
     */
    public synchronized Dataset load(String name) {
        Dataset d = loaded.get(name);
        if (d == null) {
            d = name.equals(SearchRequest.FASHION_MNIST) ? fashionMnist() : DatasetSource.parse(name).load();
            loaded.put(name, d);
        }
        return d;
    }

    private Dataset fashionMnist() {
        Path dir = fashionMnist.or(FashionMnist::installedDirectory).orElseThrow(() -> new DatasetException(
                "Fashion-MNIST not found: install the Debian package " + FashionMnist.DEBIAN_PACKAGE + " or set "
                        + FASHION_MNIST_DIRECTORY + " to the directory holding its IDX files"));
        return new Dataset(SearchRequest.FASHION_MNIST, FashionMnist.train(dir), Optional.of(FashionMnist.test(dir)),
                new float[] {FashionMnist.MEAN}, new float[] {FashionMnist.STD});
    }

    /**
     * Loads the request's dataset and checks that its split fits, so a missing file or too large a
     * split is refused before a search is stored.
     *
     * @throws InvalidRequestException naming {@code dataset} or {@code validationSize}
     */
    public Dataset check(SearchRequest r) {
        Dataset d;
        try {
            d = load(r.dataset());
        } catch (DatasetException | IllegalArgumentException e) {
            throw InvalidRequestException.of("dataset", e.getMessage());
        }
        if ((long) r.trainSize() + r.validationSize() > d.train().size()) {
            throw InvalidRequestException.of("validationSize", "trainSize + validationSize must not exceed the "
                    + d.train().size() + " training images of " + r.dataset() + ", got "
                    + ((long) r.trainSize() + r.validationSize()));
        }
        return d;
    }

    /**
     * Size, shape and a checksum of the training images and labels: recorded with a search so that
     * a machine evaluating its trials can check that its copy is the same.
     */
    public synchronized String fingerprint(String name) {
        return fingerprints.computeIfAbsent(name, n -> fingerprint(load(n).train()));
    }

    static String fingerprint(ImageSet s) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
            float[] px = s.pixels();
            for (int i = 0; i < px.length; i++) {
                buf.putFloat(px[i]);
                if (!buf.hasRemaining()) {
                    sha.update(buf.flip());
                    buf.clear();
                }
            }
            for (int label : s.labels()) {
                if (buf.remaining() < 4) {
                    sha.update(buf.flip());
                    buf.clear();
                }
                buf.putInt(label);
            }
            sha.update(buf.flip());
            return s.size() + " images " + s.channels() + "x" + s.height() + "x" + s.width() + ", " + s.classes()
                    + " classes, sha256 " + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
