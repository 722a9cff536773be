package org.cellforge.web.search;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Loads Fashion-MNIST once per process and cuts the splits searches ask for. */
@ApplicationScoped
public class DatasetProvider {

    /** Name recorded with searches. */
    public static final String FASHION_MNIST = "fashion-mnist";

    @ConfigProperty(name = "cellforge.dataset.fashion-mnist")
    Optional<String> configuredDirectory;

    private ImageSet train;

    /** The directory the files are read from: configured, or where the Debian package put them. */
    public Path directory() {
        return configuredDirectory.filter(s -> !s.isBlank()).map(Path::of)
                .or(FashionMnist::installedDirectory)
                .orElseThrow(() -> new DatasetException("Fashion-MNIST not found: install the Debian package "
                        + FashionMnist.DEBIAN_PACKAGE + " or set cellforge.dataset.fashion-mnist to the directory "
                        + "holding its IDX files"));
    }

    /** The training file's images (both splits are cut from it). */
    public synchronized ImageSet train() {
        if (train == null) {
            train = FashionMnist.train(directory());
        }
        return train;
    }

    /** The fixed split a search records. */
    public Split split(int trainSize, int validationSize, long seed) {
        return Split.of(train(), trainSize, validationSize, seed);
    }
}
