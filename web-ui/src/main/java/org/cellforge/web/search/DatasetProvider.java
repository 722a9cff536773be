package org.cellforge.web.search;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.DatasetSource;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Loads each dataset a search names once per process and cuts the splits searches ask for:
 * Fashion-MNIST from the Debian package by default, any other as {@code FORMAT:PATH}
 * ({@link DatasetSource}).
 */
@ApplicationScoped
public class DatasetProvider {

    /** Name recorded with searches on the default dataset. */
    public static final String FASHION_MNIST = SearchRequest.FASHION_MNIST;

    @ConfigProperty(name = "cellforge.dataset.fashion-mnist")
    Optional<String> configuredDirectory;

    private final Map<String, ImageSet> train = new HashMap<>();

    /** The directory the files are read from: configured, or where the Debian package put them. */
    public Path directory() {
        return configuredDirectory.filter(s -> !s.isBlank()).map(Path::of)
                .or(FashionMnist::installedDirectory)
                .orElseThrow(() -> new DatasetException("Fashion-MNIST not found: install the Debian package "
                        + FashionMnist.DEBIAN_PACKAGE + " or set cellforge.dataset.fashion-mnist to the directory "
                        + "holding its IDX files"));
    }

    /**
     * The training images of {@code dataset} (both splits are cut from them).
     *
     * @throws DatasetException if the files are missing or malformed
     */
    public synchronized ImageSet train(String dataset) {
        ImageSet cached = train.get(dataset);
        if (cached == null) {
            cached = dataset.equals(FASHION_MNIST) ? FashionMnist.train(directory())
                    : DatasetSource.parse(dataset).load().train();
            train.put(dataset, cached);
        }
        return cached;
    }

    /** The fixed split a search records. */
    public Split split(String dataset, int trainSize, int validationSize, long seed) {
        return Split.of(train(dataset), trainSize, validationSize, seed);
    }
}
