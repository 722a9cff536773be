package org.cellforge.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.cellforge.engine.ConflictException;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.Spaces;
import org.cellforge.engine.TrialStatus;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.persistence.JpaSearchStore;
import org.cellforge.persistence.RetrainEntity;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.persistence.TrialEntity;
import org.cellforge.persistence.Transactions;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * A search's results as files: the architecture document with its accuracies and provenance (JSON),
 * the trained network (ONNX, weights included), and a PyTorch module with those weights. The
 * weights are those of the architecture's final retraining when it had one, else those of its trial.
 */
public final class Exports {

    /** What an export can be. */
    public enum Format {
        /** The architecture document with macro, objectives, results and provenance. */
        JSON("application/json", ".json"),
        /** The trained network with its weights. */
        ONNX("application/octet-stream", ".onnx"),
        /** A zip of a PyTorch module and its trained weights. */
        PYTORCH("application/zip", "-pytorch.zip");

        private final String mediaType;
        private final String suffix;

        Format(String mediaType, String suffix) {
            this.mediaType = mediaType;
            this.suffix = suffix;
        }

        /** The media type of the bytes. */
        public String mediaType() {
            return mediaType;
        }

        /** The file name ending. */
        public String suffix() {
            return suffix;
        }

        /** Lower-case names, as in requests. */
        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
        }

        /**
         * The format called {@code name}.
         *
         * @throws InvalidRequestException naming the field {@code format}
         */
        public static Format named(String name) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw InvalidRequestException.of("format", "unsupported export format '" + name + "'; supported: "
                    + names());
        }
    }

    /** An export: its bytes, media type and a file name. */
    public record File(byte[] bytes, String mediaType, String name) {
    }

    /** Weights of a trial's network and where they come from. */
    private record Weights(byte[] onnx, String kind) {
    }

    private final Transactions tx;
    private final Datasets datasets;

    public Exports(Transactions tx, Datasets datasets) {
        this.tx = tx;
        this.datasets = datasets;
    }

    /**
     * The trial trained to the end with the best validation accuracy.
     *
     * @throws NotFoundException if there is no such search
     * @throws ConflictException if no trial succeeded yet
     */
    public int bestTrial(long searchId) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = repo.find(searchId).orElseThrow(() -> new NotFoundException("no search with id "
                    + searchId));
            return repo.best(searchId).orElseThrow(() -> new ConflictException("search " + searchId
                    + " has no successful trial yet (status " + s.status + ")")).number;
        });
    }

    /**
     * Trial {@code number} of search {@code searchId} in {@code format}.
     *
     * @throws NotFoundException if the search or trial does not exist
     * @throws ConflictException if the trial has no trained network to export
     */
    public File trial(long searchId, int number, Format format) {
        Loaded l = load(searchId, number);
        return switch (format) {
            case JSON -> new File(json(l).getBytes(java.nio.charset.StandardCharsets.UTF_8), format.mediaType(),
                    fileName(l, format));
            case ONNX -> new File(weights(l).onnx, format.mediaType(), fileName(l, format));
            case PYTORCH -> new File(pytorch(l), format.mediaType(), fileName(l, format));
        };
    }

    /** A stored search, one of its trials, the trial's checkpoint and its retrainings. */
    private record Loaded(SearchEntity search, TrialEntity trial, Optional<byte[]> checkpoint,
            List<RetrainEntity> retrains, Optional<byte[]> retrained) {
    }

    private Loaded load(long searchId, int number) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = repo.find(searchId).orElseThrow(() -> new NotFoundException("no search with id "
                    + searchId));
            TrialEntity t = repo.trial(searchId, number).orElseThrow(() -> new NotFoundException("search "
                    + searchId + " has no trial " + number));
            List<RetrainEntity> retrains = repo.retrains(searchId).stream().filter(r -> r.trialNumber == number)
                    .toList();
            Optional<byte[]> retrained = retrains.stream().filter(r -> r.status == TrialStatus.SUCCEEDED)
                    .reduce((a, b) -> b).flatMap(r -> repo.retrainCheckpoint(r.id)).map(c -> c.model);
            return new Loaded(s, t, repo.checkpoint(t.id).map(c -> c.model), retrains, retrained);
        });
    }

    private Weights weights(Loaded l) {
        if (l.retrained.isPresent()) {
            return new Weights(l.retrained.get(), retrainedOn(l.search));
        }
        return l.checkpoint.map(b -> new Weights(b, "trial training")).orElseThrow(() -> new ConflictException(
                "trial " + l.trial.number + " of search " + l.search.id + " has no trained network to export ("
                        + (l.trial.status == TrialStatus.FAILED ? "it failed: " + l.trial.failure
                        : "status " + l.trial.status) + ")"));
    }

    /** What a search's final retraining trained on, in the words of a provenance record. */
    private static String retrainedOn(SearchEntity s) {
        return JpaSearchStore.request(s).retrainingSettings().allImages() ? "retrained on the whole training file"
                : "retrained on train+validation";
    }

    private static String fileName(Loaded l, Format format) {
        return "search-" + l.search.id + "-trial-" + l.trial.number + format.suffix();
    }

    private String json(Loaded l) {
        return document(l, Spaces.require(l.search.space));
    }

    private <A extends Architecture> String document(Loaded l, SearchSpace<A> space) {
        A a = space.parse(l.trial.arch);
        SearchEntity s = l.search;
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("macro", binding(s, space).macro());
        Map<String, Object> objectives = new LinkedHashMap<>();
        objectives.put("parameters", l.trial.parameters);
        objectives.put("flops", l.trial.flops);
        sections.put("objectives", objectives);
        Map<String, Object> results = new LinkedHashMap<>();
        if (l.trial.supernetEstimate != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("accuracy", l.trial.supernetEstimate);
            e.put("kind", "supernet estimate");
            e.put("supernet", s.controller.equals("darts") ? "the relaxed network of the differentiable search"
                    : "single-path supernet, " + s.supernet);
            e.put("images", s.validationSize);
            results.put("supernetEstimate", e);
        }
        if (l.trial.validationAccuracy != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("accuracy", l.trial.validationAccuracy);
            v.put("kind", l.trial.status == TrialStatus.STOPPED ? "stand-alone validation, stopped early"
                    : "stand-alone validation");
            v.put("epochs", l.trial.epochs);
            v.put("images", s.validationSize);
            results.put("validation", v);
        }
        SearchRequest request = JpaSearchStore.request(s);
        List<Object> tests = new ArrayList<>();
        for (RetrainEntity r : l.retrains) {
            if (r.status == TrialStatus.SUCCEEDED) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("accuracy", r.testAccuracy);
                t.put("kind", "retrained test");
                t.put("testTimeAugmentation", request.retrainingSettings().testTimeAugmentation());
                if (l.trial.flops != null) {
                    // What one prediction as tested costs: a pass per view of the image that is averaged.
                    t.put("flopsPerPrediction", request.retrainingSettings().testViews() * l.trial.flops);
                }
                t.put("epochs", r.epochs);
                t.put("trainImages", r.trainImages);
                t.put("images", r.testImages);
                tests.add(t);
            }
        }
        if (!tests.isEmpty()) {
            results.put("test", tests.get(tests.size() - 1));
        }
        sections.put("results", results);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("search", s.id);
        provenance.put("trial", l.trial.number);
        provenance.put("canonical", l.trial.canonical == null ? space.canonical(a).hash() : l.trial.canonical);
        provenance.put("controller", s.controller);
        provenance.put("dataset", s.dataset);
        provenance.put("split", "train=" + s.trainSize + " validation=" + s.validationSize + " seed=" + s.splitSeed);
        provenance.put("training", String.format(Locale.ROOT, "epochs=%d batch=%d optimizer=%s lr=%s augmentation=%s "
                + "seed=%d", request.epochs(), request.batchSize(), request.optimizer(), request.learningRate(),
                request.augmentation(), request.seed()));
        provenance.put("weights", l.retrained.isPresent() ? retrainedOn(s)
                : l.checkpoint.isPresent() ? "trial training" : "none kept");
        l.retrains.stream().filter(t -> t.status == TrialStatus.SUCCEEDED).reduce((x, y) -> y).ifPresent(t -> {
            TrainSettings settings = Nd4jEvaluations.retrainSettings(request, t.epochs);
            provenance.put("retraining", String.format(Locale.ROOT, "images=%d epochs=%d batch=%d lr=%s "
                    + "augmentation=%s test-time-augmentation=%s", t.trainImages, t.epochs, settings.batchSize(),
                    settings.learningRate(), request.retrainingSettings().augmentation().orElse(request.augmentation()),
                    request.retrainingSettings().testTimeAugmentation()));
        });
        if (!request.recipeLabel().isEmpty()) {
            provenance.put("recipe", request.recipeLabel());
        }
        sections.put("provenance", provenance);
        return space.toJson(a, sections);
    }

    private byte[] pytorch(Loaded l) {
        return bundle(l, Spaces.require(l.search.space));
    }

    private <A extends Architecture> byte[] bundle(Loaded l, SearchSpace<A> space) {
        return binding(l.search, space).pytorchBundle(space.parse(l.trial.arch), weights(l).onnx);
    }

    /** The macro network a stored search trained its architectures in. */
    <A extends Architecture> Binding<A> binding(SearchEntity s, SearchSpace<A> space) {
        if (s.inputChannels != null) {
            return Binding.of(space, s.channels, s.cellsPerStage, s.inputChannels, s.imageHeight, s.imageWidth,
                    s.classes);
        }
        // Searches stored before the image shape was recorded: read it off the data.
        ImageSet images = datasets.load(s.dataset).train();
        return Binding.of(space, s.channels, s.cellsPerStage, images.channels(), images.height(), images.width(),
                images.classes());
    }
}
