package org.cellforge.runner;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.evaluator.data.Dataset;
import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.DatasetSource;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;

/**
 * Loads the datasets searches name: Fashion-MNIST from the Debian package (or the directory in
 * {@value #FASHION_MNIST_DIRECTORY}), any other as {@code FORMAT:PATH}. A worker serves search after
 * search, so loaded datasets are kept only up to a budget of bytes ({@value #CACHE_MB}), the least
 * recently used going first; an evaluation still holding an evicted one keeps it alive until it
 * ends. Fingerprints are kept for good: they are small, and computing one again means reading the
 * whole dataset again.
 */
public final class Datasets {

    /** Environment variable naming the Fashion-MNIST directory. */
    public static final String FASHION_MNIST_DIRECTORY = "CELLFORGE_DATASET_FASHION_MNIST";

    /** Environment variable with the megabytes (MiB) of pixel and label data to keep loaded. */
    public static final String CACHE_MB = "CELLFORGE_DATASET_CACHE_MB";

    /** Megabytes (MiB) kept loaded by default: CIFAR-10 and Fashion-MNIST together take about a quarter. */
    public static final long DEFAULT_CACHE_MB = 1024;

    private final Optional<Path> fashionMnist;
    private final long budget;
    /** In access order, least recently used first. */
    private final LinkedHashMap<String, Dataset> loaded = new LinkedHashMap<>(16, 0.75f, true);
    private long held;
    private final Map<String, String> fingerprints = new HashMap<>();

    private Datasets(Optional<Path> fashionMnist, long budget) {
        this.fashionMnist = fashionMnist;
        this.budget = budget;
    }

    /**
     * Datasets with Fashion-MNIST in {@code directory}, or where the Debian package put it when empty,
     * keeping as many MiB loaded as {@value #CACHE_MB} says, {@value #DEFAULT_CACHE_MB} without it.
     */
    public static Datasets of(Optional<Path> fashionMnist) {
        return of(fashionMnist, cacheMb(System.getenv(CACHE_MB)) << 20);
    }

    /**
     * Datasets with Fashion-MNIST in {@code directory}, or where the Debian package put it when empty,
     * keeping at most {@code cacheBytes} of pixel and label data loaded, or only the dataset loaded
     * last when it alone is larger: a budget too small for one dataset must not make every trial of
     * a search read its files again.
     */
    public static Datasets of(Optional<Path> fashionMnist, long cacheBytes) {
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("the dataset cache budget must be at least 0 bytes, got " + cacheBytes);
        }
        return new Datasets(Objects.requireNonNull(fashionMnist, "fashionMnist"), cacheBytes);
    }

    /**
     * Datasets with Fashion-MNIST where {@value #FASHION_MNIST_DIRECTORY} says, or the Debian package's,
     * and the budget {@value #CACHE_MB} sets.
     */
    public static Datasets fromEnvironment() {
        return of(Optional.ofNullable(System.getenv(FASHION_MNIST_DIRECTORY)).filter(s -> !s.isBlank()).map(Path::of));
    }

    /**
     * The MiB {@code v}, the value of {@value #CACHE_MB}, asks for.
     *
     * @throws IllegalStateException naming the variable if it is not a whole number of at least 0, so
     *     that the command line reports it as a setting to fix
     */
    static long cacheMb(String v) {
        if (v == null || v.isBlank()) {
            return DEFAULT_CACHE_MB;
        }
        try {
            long mb = Long.parseLong(v.strip());
            if (mb >= 0 && mb < 1L << 40) {
                return mb;
            }
        } catch (NumberFormatException e) {
            // Refused below with the variable's name.
        }
        throw new IllegalStateException(CACHE_MB + " must be a whole number of MiB, 0 or more, got '" + v + "'");
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
            held += d.bytesHeld();
            evictBeyondBudget(name);
        }
        return d;
    }

    private void evictBeyondBudget(String keep) {
        Iterator<Map.Entry<String, Dataset>> eldest = loaded.entrySet().iterator();
        while (held > budget && eldest.hasNext()) {
            Map.Entry<String, Dataset> e = eldest.next();
            if (!e.getKey().equals(keep)) {
                held -= e.getValue().bytesHeld();
                eldest.remove();
            }
        }
    }

    /** Bytes of pixel and label data the loaded datasets hold; see {@link Dataset#bytesHeld}. */
    synchronized long bytesHeld() {
        return held;
    }

    /** Names of the datasets kept loaded, least recently used first. */
    synchronized List<String> loadedNames() {
        return List.copyOf(loaded.keySet());
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
            // Of the standardized values, not the bytes, so that fingerprints recorded when pixels were
            // held as floats still match.
            int chunk = Math.max(1, 4096 / s.imageLength());
            for (int from = 0; from < s.size(); from += chunk) {
                for (float v : s.pixels(from, Math.min(s.size(), from + chunk))) {
                    if (!buf.hasRemaining()) {
                        sha.update(buf.flip());
                        buf.clear();
                    }
                    buf.putFloat(v);
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
