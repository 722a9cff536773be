package org.cellforge.web.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.runner.cli.Main;
import org.cellforge.web.security.FirstOperator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The directories a search sent to the server may read datasets from ({@code idx:}, {@code cifar10:},
 * {@code cifar100:}, {@code folder:}): {@code cellforge.dataset.roots}, or DATA_DIR/datasets when
 * none are configured. Anything else is refused with one message whether or not the path exists, so
 * that requests cannot map the server's disk; {@code ..} and symbolic links that lead out count as
 * outside. The command line reads what its own user can, and is not limited.
 */
@ApplicationScoped
public class DatasetRoots {

    @ConfigProperty(name = "cellforge.dataset.roots")
    Optional<List<String>> configured;

    @ConfigProperty(name = FirstOperator.DATA_DIR_PROPERTY)
    Optional<String> dataDir;

    /** The roots, absolute and normalized. */
    public List<Path> roots() {
        return configured.filter(l -> !l.isEmpty())
                .map(l -> l.stream().map(String::strip).filter(s -> !s.isEmpty()).map(DatasetRoots::absolute).toList())
                .orElseGet(() -> List.of(absolute(dataDir.map(Path::of).orElseGet(Main::defaultDataDir)
                        .resolve("datasets").toString())));
    }

    /** Refuses {@code request} with 400 on {@code dataset} if it names a directory outside the roots. */
    public void check(SearchRequest request) {
        String dataset = request.dataset();
        if (dataset == null || dataset.strip().equalsIgnoreCase(SearchRequest.FASHION_MNIST)) {
            return;
        }
        int colon = dataset.indexOf(':');
        if (colon < 0) {
            return; // not a path: the request's own validation names what is wrong with it
        }
        String raw = dataset.substring(colon + 1).strip();
        List<Path> roots = roots();
        String outside = "the server reads datasets only from directories under its dataset roots " + roots.stream()
                .map(Path::toString).toList() + " (cellforge.dataset.roots); give an absolute path under one";
        Path path;
        try {
            path = Path.of(raw);
        } catch (InvalidPathException e) {
            throw InvalidRequestException.of("dataset", outside);
        }
        if (!path.isAbsolute()) {
            throw InvalidRequestException.of("dataset", outside);
        }
        Path normal = path.normalize();
        if (roots.stream().noneMatch(normal::startsWith)) {
            throw InvalidRequestException.of("dataset", outside);
        }
        // Inside a root by name; a link inside may still lead out, so where it really is counts too.
        try {
            Path real = normal.toRealPath();
            if (roots.stream().map(DatasetRoots::real).noneMatch(real::startsWith)) {
                throw InvalidRequestException.of("dataset", outside);
            }
            if (!Files.isDirectory(real)) {
                throw InvalidRequestException.of("dataset", "not a directory: " + normal);
            }
        } catch (IOException e) {
            throw InvalidRequestException.of("dataset", "the directory " + normal + " does not exist ("
                    + dataset.substring(0, colon).toLowerCase(Locale.ROOT) + " data is read from a directory)");
        }
    }

    private static Path absolute(String dir) {
        return Path.of(dir).toAbsolutePath().normalize();
    }

    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }
}
