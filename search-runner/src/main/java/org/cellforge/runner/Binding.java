package org.cellforge.runner;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.cellforge.controller.Cost;
import org.cellforge.engine.SearchRequest;
import org.cellforge.evaluator.darts.DartsNetwork;
import org.cellforge.evaluator.export.PyTorchExport;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.supernet.DartsSearch;
import org.cellforge.evaluator.supernet.DartsSupernet;
import org.cellforge.evaluator.supernet.Nb201Supernet;
import org.cellforge.evaluator.supernet.TrainingState;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;

/**
 * A space's architectures inside the macro network a search trains them in: what a network costs,
 * builds and exports as.
 *
 * @param <A> the architecture type
 */
public interface Binding<A extends Architecture> {

    /** Parameters and FLOPs per image. */
    Cost cost(A architecture);

    /** A freshly initialized network. */
    Network network(A architecture, long seed);

    /** The macro network's settings, for exports. */
    Map<String, Object> macro();

    /** A one-line description of the macro network, for provenance. */
    String describe();

    /** A fresh single-path supernet over the space in this macro network, weights drawn from {@code seed}. */
    Supernet<A> supernet(long seed);

    /**
     * DARTS over the space in this macro network (its relaxed search network), as
     * {@link DartsSearch#search(SearchSpace, java.util.function.Function, Split, TrainSettings,
     * DartsSearch.Config, DartsSearch.Progress, Optional)} runs it.
     */
    DartsSearch.Result<A> darts(Split split, TrainSettings settings, DartsSearch.Config config,
            DartsSearch.Progress progress, Optional<TrainingState> resume);

    /**
     * A supernet's shared weights and how an architecture's path is built on them.
     *
     * @param store the shared weights
     * @param path the path network of an architecture
     * @param <A> the architecture type
     */
    record Supernet<A extends Architecture>(Parameters store, Function<A, Network> path) {
    }

    /** PyTorch module source with default initialization. */
    String pytorch(A architecture);

    /** A zip with the PyTorch module and the weights of an ONNX checkpoint of {@code architecture}. */
    byte[] pytorchBundle(A architecture, byte[] onnx);

    /**
     * Checks that networks of {@code space} can take images of {@code height x width}: both spaces halve
     * the image twice, and a residual or factorized reduction of an odd side gives two branches of
     * different sizes, so both sides must be multiples of 4.
     *
     * @throws org.cellforge.engine.InvalidRequestException naming the field {@code dataset}
     */
    static void checkImageSize(SearchSpace<?> space, int height, int width) {
        if (height % 4 != 0 || width % 4 != 0) {
            throw org.cellforge.engine.InvalidRequestException.of("dataset", "its images are " + height + "x" + width
                    + ", but the networks of " + space.name() + " halve the image size twice, so both sides must be "
                    + "multiples of 4");
        }
    }

    /** The binding of {@code space} for a search's macro settings and images of the given shape. */
    static <A extends Architecture> Binding<A> of(SearchSpace<A> space, SearchRequest r, int inputChannels,
            int height, int width, int classes) {
        return of(space, r.channels(), r.cellsPerStage(), inputChannels, height, width, classes);
    }

    /**
     * The binding of {@code space} at width {@code channels} with {@code cellsPerStage} cells per stage
     * (for DARTS: normal cells per stage, {@code 3 * cellsPerStage + 2} cells in all).
     */
    @SuppressWarnings("unchecked")
    static <A extends Architecture> Binding<A> of(SearchSpace<A> space, int channels, int cellsPerStage,
            int inputChannels, int height, int width, int classes) {
        if (space instanceof Nb201Space nb201) {
            return (Binding<A>) new Nb201(nb201, new Nb201Macro(channels, cellsPerStage, inputChannels, classes),
                    height, width);
        }
        if (space instanceof DartsSpace darts) {
            return (Binding<A>) new Darts(darts, DartsMacro.of(channels, 3 * cellsPerStage + 2, inputChannels, classes),
                    height, width);
        }
        throw new IllegalArgumentException("no networks for space " + space.name());
    }

    /** NAS-Bench-201 cells in their macro network. */
    record Nb201(Nb201Space space, Nb201Macro macroNetwork, int height, int width) implements Binding<Nb201Cell> {
        @Override
        public Supernet<Nb201Cell> supernet(long seed) {
            Nb201Supernet s = Nb201Supernet.of(space, macroNetwork, seed);
            return new Supernet<>(s.store(), s::path);
        }

        @Override
        public DartsSearch.Result<Nb201Cell> darts(Split split, TrainSettings settings, DartsSearch.Config config,
                DartsSearch.Progress progress, Optional<TrainingState> resume) {
            return DartsSearch.search(space, macroNetwork, split, settings, config, progress, resume);
        }

        @Override
        public Cost cost(Nb201Cell cell) {
            return new Cost(macroNetwork.parameters(cell), macroNetwork.flops(OpRegistry.builtIn(), cell, height, width));
        }

        @Override
        public Network network(Nb201Cell cell, long seed) {
            return Nb201Network.create(cell, macroNetwork, seed);
        }

        @Override
        public Map<String, Object> macro() {
            return macroNetwork.toJson();
        }

        @Override
        public String describe() {
            return "C=" + macroNetwork.channels() + " N=" + macroNetwork.cellsPerStage();
        }

        @Override
        public String pytorch(Nb201Cell cell) {
            return PyTorchExport.nb201(OpRegistry.builtIn(), cell, macroNetwork);
        }

        @Override
        public byte[] pytorchBundle(Nb201Cell cell, byte[] onnx) {
            return PyTorchExport.bundle(OpRegistry.builtIn(), cell, macroNetwork, onnx);
        }
    }

    /** DARTS genotypes in the DARTS evaluation network. */
    record Darts(DartsSpace space, DartsMacro macroNetwork, int height, int width) implements Binding<DartsGenotype> {
        @Override
        public Supernet<DartsGenotype> supernet(long seed) {
            DartsSupernet s = DartsSupernet.of(space, macroNetwork, seed);
            return new Supernet<>(s.store(), s::path);
        }

        @Override
        public DartsSearch.Result<DartsGenotype> darts(Split split, TrainSettings settings, DartsSearch.Config config,
                DartsSearch.Progress progress, Optional<TrainingState> resume) {
            return DartsSearch.search(space, macroNetwork, split, settings, config, progress, resume);
        }

        @Override
        public Cost cost(DartsGenotype g) {
            return new Cost(macroNetwork.parameters(g), macroNetwork.flops(OpRegistry.builtIn(), g, height, width));
        }

        @Override
        public Network network(DartsGenotype g, long seed) {
            return DartsNetwork.create(g, macroNetwork, seed);
        }

        @Override
        public Map<String, Object> macro() {
            return macroNetwork.toJson();
        }

        @Override
        public String describe() {
            return "C=" + macroNetwork.channels() + " layers=" + macroNetwork.layers();
        }

        @Override
        public String pytorch(DartsGenotype g) {
            return PyTorchExport.darts(OpRegistry.builtIn(), g, macroNetwork);
        }

        @Override
        public byte[] pytorchBundle(DartsGenotype g, byte[] onnx) {
            return PyTorchExport.bundle(OpRegistry.builtIn(), g, macroNetwork, onnx);
        }
    }
}
