package org.cellforge.controller.nsga2;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import io.jenetics.Chromosome;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.engine.Constraint;
import io.jenetics.engine.RetryConstraint;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.Vec;
import io.jenetics.ext.moea.VecFactory;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Cost;
import org.cellforge.controller.CostLimits;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Observation;
import org.cellforge.controller.Rng;
import org.cellforge.controller.StateReader;
import org.cellforge.controller.genetic.ArchitectureCodec;
import org.cellforge.controller.genetic.DistinctMutator;
import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * NSGA-II (Deb, Pratap, Agarwal and Meyarivan 2002, "A fast and elitist multiobjective genetic
 * algorithm: NSGA-II"), maximizing accuracy and minimizing one cost. Generational: each generation
 * proposes {@code population} offspring, waits until all are told, then keeps the best
 * {@code population} of parents and offspring together (μ+λ) by non-dominated rank and crowding
 * distance, through Jenetics' {@link NSGA2Selector}. Because tells only fill in a generation that is
 * complete before anything is chosen, the proposals do not depend on the order of the tells nor on
 * how many evaluations run at once.
 *
 * <p>The first generation is the warm-start candidates first, then uniform samples. Later offspring
 * come from two parents picked by binary tournaments on the crowded order (the lower rank wins,
 * then the larger crowding distance, as in the paper), a gene-wise uniform crossover with
 * probability {@code crossover} (otherwise a copy of the first parent), and one
 * {@link DistinctMutator} edit, so a child always computes a different function than the genotype
 * it was mutated from. Offspring are functions never proposed before.
 *
 * <p>Hard limits {@code maxParameters} and {@code maxFlops} are a Jenetics {@link Constraint}: a
 * candidate over either is never proposed. Up to {@link #VARIATION_ATTEMPTS} children are tried,
 * then up to {@link #RANDOM_DRAWS} uniform samples through a {@link RetryConstraint}; if none is
 * within the limits the controller is done with a reason naming them.
 *
 * <p>A failed evaluation is dominated by everything: it never enters the population. A stopped one
 * takes part with the accuracy it had when stopped, which is lower than it would have reached, so it
 * survives only where little else does.
 *
 * @param <A> the architecture type
 */
public final class Nsga2Controller<A extends Architecture> implements Controller<A> {

    /** Name in requests and stored searches. */
    public static final String NAME = "nsga2";

    /** Option: parents kept and offspring proposed per generation. */
    public static final String POPULATION = "population";

    /** Option: the cost minimized next to accuracy. */
    public static final String OBJECTIVE = "objective";

    /** Option: hard limit on trainable parameters. */
    public static final String MAX_PARAMETERS = CostLimits.MAX_PARAMETERS;

    /** Option: hard limit on multiply-accumulates per image. */
    public static final String MAX_FLOPS = CostLimits.MAX_FLOPS;

    /** Option: probability that a child is a crossover of two parents rather than a copy of one. */
    public static final String CROSSOVER = "crossover";

    /** Children tried per offspring before falling back to uniform samples. */
    public static final int VARIATION_ATTEMPTS = 100;

    /** Uniform samples tried per offspring when no child fits. */
    public static final int RANDOM_DRAWS = 10_000;

    /** The registered strategy. */
    public static final ControllerKind KIND = new ControllerKind.Base(NAME,
            "NSGA-II: a front of accurate and cheap architectures, within optional hard cost limits",
            List.of(
                    Option.integer(POPULATION, 10L, 4, 100_000,
                            "parents kept and offspring proposed per generation"),
                    Option.choice(OBJECTIVE, Cost.Kind.PARAMETERS.configName(),
                            List.of(Cost.Kind.PARAMETERS.configName(), Cost.Kind.FLOPS.configName()),
                            "the cost minimized next to accuracy"),
                    CostLimits.OPTIONS.get(0),
                    CostLimits.OPTIONS.get(1),
                    Option.number(CROSSOVER, 0.9, 0, 1,
                            "probability that a child mixes two parents gene by gene instead of copying one"))) {
        @Override
        public <B extends Architecture> Controller<B> create(ControllerContext<B> context) {
            return Nsga2Controller.of(context.space(), context.seed(), context.cost(), Settings.of(context.options()));
        }
    };

    /**
     * What NSGA-II is run with.
     *
     * @param population parents kept and offspring per generation, at least 4 (two binary
     *        tournaments need a choice)
     * @param objective the cost minimized
     * @param maxParameters the hard limit on parameters, if any
     * @param maxFlops the hard limit on multiply-accumulates, if any
     * @param crossover the probability of crossover, in [0, 1]
     */
    public record Settings(int population, Cost.Kind objective, OptionalLong maxParameters, OptionalLong maxFlops,
            double crossover) {

        /**
         * @throws IllegalArgumentException if a value is out of range
         */
        public Settings {
            Objects.requireNonNull(objective, "objective");
            new CostLimits(maxParameters, maxFlops);
            if (population < 4) {
                throw new IllegalArgumentException("population must be at least 4, got " + population);
            }
            if (!(crossover >= 0 && crossover <= 1)) {
                throw new IllegalArgumentException("crossover must be in [0, 1], got " + crossover);
            }
        }

        /** The defaults: population 10, parameters, no limits, crossover 0.9. */
        public static Settings defaults() {
            return new Settings(10, Cost.Kind.PARAMETERS, OptionalLong.empty(), OptionalLong.empty(), 0.9);
        }

        /** The settings of validated options of {@link #KIND}. */
        public static Settings of(Options options) {
            CostLimits limits = CostLimits.of(options);
            return new Settings(Math.toIntExact(options.integer(POPULATION)),
                    Cost.Kind.valueOf(options.choice(OBJECTIVE).toUpperCase(Locale.ROOT)), limits.maxParameters(),
                    limits.maxFlops(), options.number(CROSSOVER));
        }

        /** The hard limits. */
        public CostLimits costLimits() {
            return new CostLimits(maxParameters, maxFlops);
        }

        /** Whether {@code cost} is within both limits. */
        public boolean allows(Cost cost) {
            return costLimits().allows(cost);
        }

        /** The limits that are set, as users write them, such as {@code maxParameters=500000}. */
        public String limits() {
            return costLimits().toString();
        }
    }

    private static final int STATE_VERSION = 1;

    private final SearchSpace<A> space;
    private final ArchitectureCodec<A> codec;
    private final DistinctMutator<A, Vec<double[]>> mutator;
    private final NSGA2Selector<IntegerGene, Vec<double[]>> selector = NSGA2Selector.ofVec();
    private final VecFactory<double[]> objectives = VecFactory.ofDoubleVec(Optimize.MAXIMUM, Optimize.MINIMUM);
    private final Function<? super A, Cost> cost;
    private final Settings settings;

    private Rng random;
    private int generation;
    /** Survivors of the last selection, best first in the crowded order. */
    private final List<Member<A>> population = new ArrayList<>();
    /** This generation's proposals, in proposal order. */
    private final List<A> offspring = new ArrayList<>();
    /** Results of this generation's proposals told so far, by key. */
    private final Map<String, Result> told = new LinkedHashMap<>();
    /** Canonical hashes of everything proposed, in order. */
    private final Set<String> seen = new LinkedHashSet<>();
    private final Deque<A> warm = new ArrayDeque<>();
    /** Why the search ended, or null while it goes on. */
    private String done;

    private record Member<A>(A architecture, Genotype<IntegerGene> genotype, double accuracy, long cost) {
    }

    /** A told result: failed, or the accuracy and the objective's cost. */
    private record Result(Observation.Outcome outcome, double accuracy, long cost) {
    }

    private Nsga2Controller(SearchSpace<A> space, long seed, Function<? super A, Cost> cost, Settings settings) {
        this.space = space;
        this.codec = ArchitectureCodec.of(space);
        this.mutator = DistinctMutator.of(codec);
        this.cost = cost;
        this.settings = settings;
        this.random = Rng.of(seed);
    }

    /**
     * NSGA-II over {@code space}; the same seed and results give the same proposals.
     *
     * @param cost what a candidate costs, known before it is trained (for the limits)
     */
    public static <A extends Architecture> Nsga2Controller<A> of(SearchSpace<A> space, long seed,
            Function<? super A, Cost> cost, Settings settings) {
        return new Nsga2Controller<>(Objects.requireNonNull(space, "space"), seed, Objects.requireNonNull(cost, "cost"),
                Objects.requireNonNull(settings, "settings"));
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
        if (done != null) {
            return Decision.done(done);
        }
        if (offspring.size() == settings.population()) {
            // The generation is complete only once every offspring is told; tell() then moves on.
            return Decision.waitForResults();
        }
        A next = RandomRegistry.with(random).call(this::nextOffspring);
        if (next == null) {
            return Decision.done(done);
        }
        offspring.add(next);
        seen.add(function(next));
        return Decision.propose(next);
    }

    /** The next offspring, or null after setting {@link #done}. */
    private A nextOffspring() {
        if (generation == 0) {
            while (!warm.isEmpty()) {
                A candidate = warm.poll();
                if (acceptable(candidate)) {
                    return candidate;
                }
            }
        }
        if (!population.isEmpty()) {
            RandomGenerator r = RandomRegistry.random();
            for (int attempt = 0; attempt < VARIATION_ATTEMPTS; attempt++) {
                Genotype<IntegerGene> first = parent(r).genotype();
                Genotype<IntegerGene> second = parent(r).genotype();
                Genotype<IntegerGene> mixed = r.nextDouble() < settings.crossover()
                        ? crossover(first, second, r) : first;
                A child = codec.decode(mutator.alter(ISeq.of(Phenotype.of(mixed, generation)), generation)
                        .population().get(0).genotype());
                if (acceptable(child)) {
                    return child;
                }
            }
        }
        return sample();
    }

    /** A uniform sample within the limits and never proposed, or null after setting {@link #done}. */
    private A sample() {
        boolean[] withinLimits = {false};
        RetryConstraint<IntegerGene, Vec<double[]>> constraint = new RetryConstraint<>(p -> {
            A candidate = codec.decode(p.genotype());
            if (!settings.allows(cost.apply(candidate))) {
                return false;
            }
            withinLimits[0] = true;
            return !seen.contains(function(candidate));
        }, codec.encoding(), RANDOM_DRAWS - 1);
        Phenotype<IntegerGene, Vec<double[]>> first = Phenotype.of(codec.encoding().newInstance(), generation);
        Phenotype<IntegerGene, Vec<double[]>> found = constraint.test(first) ? first : constraint.repair(first,
                generation);
        if (found == first || constraint.test(found)) {
            return codec.decode(found.genotype());
        }
        done = withinLimits[0]
                ? "no function within " + settings.limits() + " that was not proposed before in " + RANDOM_DRAWS
                        + " uniform draws: the space within the limits is exhausted"
                : "no architecture within the hard limit " + settings.limits() + " in " + RANDOM_DRAWS
                        + " uniform draws";
        return null;
    }

    private boolean acceptable(A candidate) {
        return settings.allows(cost.apply(candidate)) && !seen.contains(function(candidate));
    }

    /** Binary tournament on the crowded order: the population is sorted best first. */
    private Member<A> parent(RandomGenerator r) {
        int n = population.size();
        return population.get(Math.min(r.nextInt(n), r.nextInt(n)));
    }

    private static Genotype<IntegerGene> crossover(Genotype<IntegerGene> first, Genotype<IntegerGene> second,
            RandomGenerator r) {
        List<Chromosome<IntegerGene>> genes = new ArrayList<>(first.length());
        for (int i = 0; i < first.length(); i++) {
            genes.add(r.nextBoolean() ? first.get(i) : second.get(i));
        }
        return Genotype.of(genes);
    }

    private String function(A architecture) {
        return codec.function(architecture);
    }

    /**
     * Records the result of one of this generation's offspring; the last one completes the
     * generation and selects the next population.
     *
     * @throws IllegalArgumentException if the architecture is not an offspring of this generation
     *     waiting for its result
     */
    @Override
    public void tell(Observation<A> observation) {
        String key = observation.architecture().key();
        if (told.containsKey(key) || offspring.stream().noneMatch(a -> a.key().equals(key))) {
            throw new IllegalArgumentException(NAME + ": " + key
                    + " is not an outstanding proposal of generation " + generation);
        }
        told.put(key, observation.objectives()
                .map(o -> new Result(observation.outcome(), o.accuracy(), settings.objective().of(o.cost())))
                .orElse(new Result(Observation.Outcome.FAILED, 0, 0)));
        if (told.size() == settings.population()) {
            select();
        }
    }

    private void select() {
        List<Member<A>> pool = new ArrayList<>(population);
        for (A a : offspring) {
            Result result = told.get(a.key());
            if (result.outcome() != Observation.Outcome.FAILED) {
                pool.add(new Member<>(a, codec.encode(a), result.accuracy(), result.cost()));
            }
        }
        Map<Phenotype<IntegerGene, Vec<double[]>>, Member<A>> members = new IdentityHashMap<>();
        List<Phenotype<IntegerGene, Vec<double[]>>> phenotypes = new ArrayList<>(pool.size());
        for (Member<A> m : pool) {
            Phenotype<IntegerGene, Vec<double[]>> p = Phenotype.of(m.genotype(), generation,
                    objectives.newVec(new double[] {m.accuracy(), m.cost()}));
            members.put(p, m);
            phenotypes.add(p);
        }
        ISeq<Phenotype<IntegerGene, Vec<double[]>>> survivors = selector.select(ISeq.of(phenotypes),
                Math.min(settings.population(), pool.size()), Optimize.MAXIMUM);
        population.clear();
        survivors.forEach(p -> population.add(members.get(p)));
        offspring.clear();
        told.clear();
        warm.clear();
        generation++;
    }

    @Override
    public ControllerState snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("space", space.name());
        s.put("random", StateReader.rng(random));
        s.put("generation", generation);
        List<Map<String, Object>> members = new ArrayList<>();
        for (Member<A> m : population) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("architecture", m.architecture().key());
            member.put("accuracy", m.accuracy());
            member.put("cost", m.cost());
            members.add(member);
        }
        s.put("population", members);
        List<Map<String, Object>> children = new ArrayList<>();
        for (A a : offspring) {
            Map<String, Object> child = new LinkedHashMap<>();
            child.put("architecture", a.key());
            Result result = told.get(a.key());
            if (result != null) {
                child.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
                if (result.outcome() != Observation.Outcome.FAILED) {
                    child.put("accuracy", result.accuracy());
                    child.put("cost", result.cost());
                }
            }
            children.add(child);
        }
        s.put("offspring", children);
        s.put("seen", new ArrayList<>(seen));
        s.put("warm", warm.stream().map(Architecture::key).toList());
        if (done != null) {
            s.put("done", done);
        }
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
        int restoredGeneration = r.integer("generation");
        List<Member<A>> members = new ArrayList<>();
        for (StateReader m : r.objects("population")) {
            A a = space.parse(m.string("architecture"));
            members.add(new Member<>(a, codec.encode(a), m.real("accuracy"), m.longValue("cost")));
        }
        List<A> children = new ArrayList<>();
        Map<String, Result> results = new LinkedHashMap<>();
        for (StateReader c : r.objects("offspring")) {
            A a = space.parse(c.string("architecture"));
            children.add(a);
            if (c.has("outcome")) {
                Observation.Outcome outcome = outcome(c);
                results.put(a.key(), outcome == Observation.Outcome.FAILED ? new Result(outcome, 0, 0)
                        : new Result(outcome, c.real("accuracy"), c.longValue("cost")));
            }
        }
        if (members.size() > settings.population() || children.size() > settings.population()) {
            throw new IllegalArgumentException(NAME + " state: more members or offspring than the population option "
                    + settings.population());
        }
        List<String> restoredSeen = r.strings("seen");
        List<A> restoredWarm = r.strings("warm").stream().map(space::parse).toList();
        String restoredDone = r.has("done") ? r.string("done") : null;
        // Everything is read before anything changes, so a malformed state leaves this controller as it was.
        random = restoredRandom;
        generation = restoredGeneration;
        population.clear();
        population.addAll(members);
        offspring.clear();
        offspring.addAll(children);
        told.clear();
        told.putAll(results);
        seen.clear();
        seen.addAll(restoredSeen);
        warm.clear();
        warm.addAll(restoredWarm);
        done = restoredDone;
    }

    private static Observation.Outcome outcome(StateReader child) {
        String name = child.string("outcome");
        try {
            return Observation.Outcome.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + " state.offspring.outcome: expected succeeded, stopped or failed,"
                    + " got " + name, e);
        }
    }
}
