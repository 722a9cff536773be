package org.cellforge.controller.evolution;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.TournamentSelector;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Observation;
import org.cellforge.controller.Rng;
import org.cellforge.controller.StateReader;
import org.cellforge.controller.genetic.ArchitectureCodec;
import org.cellforge.controller.genetic.DistinctMutator;
import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * Regularized evolution (Real, Aggarwal, Huang and Le 2019, "Regularized evolution for image
 * classifier architecture search"): a population of the {@code population} most recently evaluated
 * architectures; each child mutates the most accurate of {@code sample} members drawn at random
 * (with replacement, as in the paper), and each evaluated child replaces the oldest member. Removing
 * the oldest rather than the worst is the regularization: an architecture survives only through
 * descendants that keep scoring well, which favours architectures that are good after retraining
 * rather than lucky once.
 *
 * <p>The initial population is the warm-start candidates first, then uniform samples, each a
 * function not proposed before. With several evaluations outstanding, uniform samples are proposed
 * until the population and the outstanding proposals together reach {@code population}; after that
 * every proposal is a child of the evaluated members, and the controller waits while none is
 * evaluated yet. A failed evaluation does not join the population (so a failure among the first
 * proposals is made up by another sample); a stopped one joins with the accuracy it had.
 *
 * <p>Children compute a different function than their parent ({@link DistinctMutator}). Of up to
 * {@link #CHILD_ATTEMPTS} mutants of the tournament winner, the first whose function was never
 * proposed is taken, since a repeat costs no trial but teaches nothing new; if all were seen, the
 * last is proposed anyway and the engine answers it from the stored result, which still ages the
 * population as the algorithm intends.
 *
 * <p>The genotype is the space's {@link ArchitectureCodec}; selection is Jenetics'
 * {@link TournamentSelector}; every random draw comes from one {@link Rng}, handed to Jenetics
 * through {@link RandomRegistry}, so a snapshot holds the whole state.
 *
 * @param <A> the architecture type
 */
public final class EvolutionController<A extends Architecture> implements Controller<A> {

    /** Name in requests and stored searches. */
    public static final String NAME = "evolution";

    /** Option: members kept in the population. */
    public static final String POPULATION = "population";

    /** Option: members drawn for each tournament. */
    public static final String SAMPLE = "sample";

    /** Mutants of a tournament winner tried for a function never proposed before. */
    public static final int CHILD_ATTEMPTS = 32;

    /** Uniform draws tried for an initial member never proposed before. */
    public static final int SAMPLE_ATTEMPTS = 1_000;

    /** The registered strategy. */
    public static final ControllerKind KIND = new ControllerKind() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "regularized evolution: mutate the best of a random sample, retire the oldest";
        }

        @Override
        public List<Option> options() {
            return List.of(
                    Option.integer(POPULATION, 10L, 2, 100_000,
                            "architectures kept in the population; the oldest leaves when a child joins"),
                    Option.integer(SAMPLE, 3L, 2, 100_000,
                            "population members drawn per tournament (with replacement); the most accurate one is mutated"));
        }

        @Override
        public void check(Options options, List<Violation> violations) {
            long population = options.integer(POPULATION);
            long sample = options.integer(SAMPLE);
            if (sample > population) {
                violations.add(new Violation(SAMPLE, "must be at most population (" + population + "), got " + sample));
            }
        }

        @Override
        public <B extends Architecture> Controller<B> create(ControllerContext<B> context) {
            Options o = context.options();
            return EvolutionController.of(context.space(), context.seed(), Math.toIntExact(o.integer(POPULATION)),
                    Math.toIntExact(o.integer(SAMPLE)));
        }
    };

    private static final int STATE_VERSION = 1;

    private final SearchSpace<A> space;
    private final ArchitectureCodec<A> codec;
    private final DistinctMutator<A, Double> mutator;
    private final TournamentSelector<IntegerGene, Double> tournament;
    private final int populationSize;
    private Rng random;
    private long proposals;
    /** Evaluated members, oldest first. */
    private final Deque<Member<A>> population = new ArrayDeque<>();
    /** Keys of proposals not told yet, in proposal order. */
    private final List<String> pending = new ArrayList<>();
    /** Canonical hashes of everything proposed, in order. */
    private final Set<String> seen = new LinkedHashSet<>();
    private final Deque<A> warm = new ArrayDeque<>();

    private record Member<A>(A architecture, Genotype<IntegerGene> genotype, double accuracy) {

        Phenotype<IntegerGene, Double> phenotype() {
            return Phenotype.of(genotype, 0, accuracy);
        }
    }

    private EvolutionController(SearchSpace<A> space, long seed, int population, int sample) {
        this.space = space;
        this.codec = ArchitectureCodec.of(space);
        this.mutator = DistinctMutator.of(codec);
        this.tournament = new TournamentSelector<>(sample);
        this.populationSize = population;
        this.random = Rng.of(seed);
    }

    /**
     * Regularized evolution over {@code space}; the same seed and results give the same proposals.
     *
     * @param population members kept, at least 2
     * @param sample members per tournament, from 2 to {@code population}
     * @throws IllegalArgumentException if the sizes are out of range
     */
    public static <A extends Architecture> EvolutionController<A> of(SearchSpace<A> space, long seed, int population,
            int sample) {
        Objects.requireNonNull(space, "space");
        if (population < 2) {
            throw new IllegalArgumentException("population must be at least 2, got " + population);
        }
        if (sample < 2 || sample > population) {
            throw new IllegalArgumentException("sample must be between 2 and population (" + population + "), got "
                    + sample);
        }
        return new EvolutionController<>(space, seed, population, sample);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void warmStart(List<A> bestFirst) {
        warm.addAll(bestFirst);
    }

    @Override
    public Decision<A> ask() {
        if (population.size() + pending.size() < populationSize) {
            return propose(initialMember());
        }
        if (population.isEmpty()) {
            return Decision.waitForResults();
        }
        return propose(child());
    }

    private A initialMember() {
        while (!warm.isEmpty()) {
            A candidate = warm.poll();
            if (!seen.contains(function(candidate))) {
                return candidate;
            }
        }
        return RandomRegistry.with(random).call(() -> {
            A candidate = null;
            for (int i = 0; i < SAMPLE_ATTEMPTS; i++) {
                candidate = codec.decode(codec.encoding().newInstance());
                if (!seen.contains(function(candidate))) {
                    break;
                }
            }
            return candidate;
        });
    }

    private A child() {
        ISeq<Phenotype<IntegerGene, Double>> members = population.stream().map(Member::phenotype)
                .collect(ISeq.toISeq());
        return RandomRegistry.with(random).call(() -> {
            ISeq<Phenotype<IntegerGene, Double>> parent = tournament.select(members, 1, Optimize.MAXIMUM);
            A candidate = null;
            for (int i = 0; i < CHILD_ATTEMPTS; i++) {
                candidate = codec.decode(mutator.alter(parent, proposals).population().get(0).genotype());
                if (!seen.contains(function(candidate))) {
                    break;
                }
            }
            return candidate;
        });
    }

    private Decision<A> propose(A architecture) {
        proposals++;
        seen.add(function(architecture));
        pending.add(architecture.key());
        return Decision.propose(architecture);
    }

    private String function(A architecture) {
        return codec.function(architecture);
    }

    /**
     * Adds a successful or stopped evaluation to the population, retiring the oldest member if it
     * is full; a failed one only ends its proposal.
     *
     * @throws IllegalArgumentException if the architecture is not an outstanding proposal
     */
    @Override
    public void tell(Observation<A> observation) {
        A architecture = observation.architecture();
        if (!pending.remove(architecture.key())) {
            throw new IllegalArgumentException(NAME + ": " + architecture.key()
                    + " is not an outstanding proposal of this controller");
        }
        if (observation.outcome() == Observation.Outcome.FAILED) {
            return;
        }
        population.addLast(new Member<>(architecture, codec.encode(architecture),
                observation.accuracy().orElseThrow()));
        while (population.size() > populationSize) {
            population.removeFirst();
        }
    }

    @Override
    public ControllerState snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("space", space.name());
        s.put("random", StateReader.rng(random));
        s.put("proposals", proposals);
        List<Map<String, Object>> members = new ArrayList<>();
        for (Member<A> m : population) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("architecture", m.architecture().key());
            member.put("accuracy", m.accuracy());
            members.add(member);
        }
        s.put("population", members);
        s.put("pending", new ArrayList<>(pending));
        s.put("seen", new ArrayList<>(seen));
        s.put("warm", warm.stream().map(Architecture::key).toList());
        return new ControllerState(NAME, STATE_VERSION, s);
    }

    @Override
    public void restore(ControllerState state) {
        StateReader r = state.reader(NAME, List.of(STATE_VERSION));
        if (!space.name().equals(r.string("space"))) {
            throw new IllegalArgumentException(NAME + " state.space: written for space " + r.string("space")
                    + ", not " + space.name());
        }
        Rng restoredRandom = r.rng("random");
        long restoredProposals = r.longValue("proposals");
        List<Member<A>> members = new ArrayList<>();
        for (StateReader m : r.objects("population")) {
            A architecture = space.parse(m.string("architecture"));
            members.add(new Member<>(architecture, codec.encode(architecture), m.real("accuracy")));
        }
        if (members.size() > populationSize) {
            throw new IllegalArgumentException(NAME + " state.population: " + members.size()
                    + " members, more than the population option " + populationSize);
        }
        List<String> restoredPending = r.strings("pending");
        List<String> restoredSeen = r.strings("seen");
        List<A> restoredWarm = r.strings("warm").stream().map(space::parse).toList();
        // Everything is read before anything changes, so a malformed state leaves this controller as it was.
        random = restoredRandom;
        proposals = restoredProposals;
        population.clear();
        population.addAll(members);
        pending.clear();
        pending.addAll(restoredPending);
        seen.clear();
        seen.addAll(restoredSeen);
        warm.clear();
        warm.addAll(restoredWarm);
    }
}
