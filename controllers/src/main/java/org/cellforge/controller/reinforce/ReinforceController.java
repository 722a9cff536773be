package org.cellforge.controller.reinforce;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Observation;
import org.cellforge.controller.Rng;
import org.cellforge.controller.StateReader;
import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;
import org.cellforge.space.Architecture;
import org.cellforge.space.Encoding;
import org.cellforge.space.SearchSpace;

/**
 * REINFORCE (Williams 1992) over a space's {@link SearchSpace#encoding() encoding}: the policy is one
 * independent categorical distribution per position (for NAS-Bench-201 the op of each edge, for
 * DARTS the input pair and the two ops of each node), held as logits. Proposals are samples of the
 * policy; each told result moves the logits by one Adam step along
 * {@code (reward - baseline) * grad log p(choices) + entropyWeight * grad entropy}, where the choices
 * are those of the told architecture and the baseline is an exponential moving average of the
 * rewards told before (so that it does not depend on the choices it judges); the first finished
 * trial sets it.
 *
 * <p><b>Rewards.</b> A trial trained to the end is rewarded with its accuracy. A stopped trial's
 * accuracy was measured after fewer epochs, so taken as is it would understate the architecture and
 * drag the baseline down; the early-stopping rule stopped it for looking weak, so its reward is its
 * accuracy clamped between the worst finished reward and the baseline: never encouraged, never
 * punished more than the worst finished trial, and it does not move the baseline. A failed trial
 * (diverged, no measurement) counts as the worst finished trial so far: its choices are discouraged
 * as firmly as the worst measured ones, without a made-up reward far outside the measured range
 * that would dominate Adam's moment estimates; it does not move the baseline either. Until a trial
 * has finished there is no scale to judge by, so stopped and failed trials before that change
 * nothing.
 *
 * <p><b>Each function once.</b> A draw whose function (canonical form) was proposed before, told or
 * still outstanding, is drawn again, so parallel workers never train the same function twice and
 * the search does not stall on answers from stored results once the policy has concentrated. When
 * 50 draws in a row repeat, the functions the policy favours are used up: drawing goes on from the
 * policy at twice the temperature, doubling every 50 draws up to 512 (nearly uniform), so proposals
 * stay as close to what the policy prefers as novelty allows. Only if all 500 draws repeat is a
 * repeat proposed, which the engine answers from the stored result. The
 * update still uses the unrestricted policy's log-probability, the usual approximation for
 * sampling without replacement.
 *
 * <p><b>Parallel workers.</b> Proposals are sampled without waiting for outstanding results; a
 * result told later updates the policy with the gradient of its own choices' log-probability under
 * the policy at the time of the tell (the usual asynchronous approximation: with a few slots the
 * policy moves little between a sample and its result).
 *
 * <p><b>Warm start.</b> The candidates of a warm start are proposed first, best first, each function
 * once, and the policy starts biased toward the best candidate's choices: at every position its
 * choice has probability {@code warmStartProbability} (or the uniform one if that is larger) and
 * the other choices share the rest equally. With the default 0.5 a NAS-Bench-201 sample keeps the
 * best candidate's op on 3 of its 6 edges on average: close enough to exploit it, far enough to
 * explore. The candidates' results are told like any other and update the policy although they
 * were not sampled from it.
 *
 * <p>Every computation that decides a proposal uses {@link StrictMath} and the controller's own
 * {@link Rng}, so a restored snapshot continues exactly, on any machine.
 *
 * @param <A> the architecture type
 */
public final class ReinforceController<A extends Architecture> implements Controller<A> {

    /** Name in requests and stored searches. */
    public static final String NAME = "reinforce";

    /**
     * Adam's step size on the logits. Adam moves each logit by about this much per update whatever
     * the reward's scale, so with 0.1 a position's choice can go from uniform to dominant (a logit
     * lead of 2 to 3) within the tens of consistent updates a budget of tens to hundreds of trials
     * gives, while 0.01 would move it at most 2 in 200 updates and much less when advantages change
     * sign. On NAS-Bench-201 with the NASWOT score as reward, 0.05 found a top-1% function clearly
     * later and 0.2 a little sooner; 0.1 is kept because larger steps commit every position as
     * fast, and a DARTS policy has 48 positions sharing the credit of one reward, not 6.
     */
    public static final Option LEARNING_RATE = Option.number("learningRate", 0.1, 1e-5, 1.0,
            "Adam step size on the policy's logits");

    /**
     * Decay of the reward's moving average, the baseline; 0.9 as in NAS-Bench-201's REINFORCE: it
     * averages about the last ten rewards, following the policy's improvement without the noise of
     * a single trial.
     */
    public static final Option BASELINE_DECAY = Option.number("baselineDecay", 0.9, 0.0, 0.999,
            "decay of the moving-average reward baseline (0: the last reward)");

    /**
     * Weight of the policy's entropy in the objective, in the reward's units (accuracy in [0, 1]).
     * Advantages of accuracies are typically a few hundredths, so 0.01 is a fraction of a consistent
     * advantage: it hardly slows learning in budgets of tens to hundreds of trials, yet keeps the
     * policy from collapsing onto a few architectures over long searches, when advantages shrink.
     */
    public static final Option ENTROPY_WEIGHT = Option.number("entropyWeight", 0.01, 0.0, 1.0,
            "weight of the entropy bonus that keeps the policy exploring");

    /** Probability of the best warm-start candidate's choice at each position when the search starts. */
    public static final Option WARM_START_PROBABILITY = Option.number("warmStartProbability", 0.5, 0.0, 0.99,
            "initial probability of the best warm-start candidate's choice at each position");

    /** The registered strategy. */
    public static final ControllerKind KIND = new ControllerKind.Base(NAME,
            "policy gradient (REINFORCE) on independent per-choice distributions, moving-average baseline",
            List.of(LEARNING_RATE, BASELINE_DECAY, ENTROPY_WEIGHT, WARM_START_PROBABILITY)) {
        @Override
        public <B extends Architecture> Controller<B> create(ControllerContext<B> context) {
            return ReinforceController.of(context.space(), context.seed(), Settings.from(context.options()));
        }
    };

    /**
     * The controller's settings, validated against the ranges of its options.
     *
     * @param learningRate Adam's step size on the logits
     * @param baselineDecay decay of the reward's moving average
     * @param entropyWeight weight of the entropy bonus
     * @param warmStartProbability initial probability of the best warm-start candidate's choices
     */
    public record Settings(double learningRate, double baselineDecay, double entropyWeight,
            double warmStartProbability) {

        /** The options' defaults. */
        public static final Settings DEFAULTS = of((Double) LEARNING_RATE.defaultValue(),
                (Double) BASELINE_DECAY.defaultValue(), (Double) ENTROPY_WEIGHT.defaultValue(),
                (Double) WARM_START_PROBABILITY.defaultValue());

        public Settings {
            check(LEARNING_RATE, learningRate);
            check(BASELINE_DECAY, baselineDecay);
            check(ENTROPY_WEIGHT, entropyWeight);
            check(WARM_START_PROBABILITY, warmStartProbability);
        }

        /**
         * Settings checked against the options' ranges.
         *
         * @throws IllegalArgumentException naming the setting out of range
         */
        public static Settings of(double learningRate, double baselineDecay, double entropyWeight,
                double warmStartProbability) {
            return new Settings(learningRate, baselineDecay, entropyWeight, warmStartProbability);
        }

        /** Settings from options validated against {@link #KIND}'s declarations. */
        public static Settings from(Options options) {
            return of(options.number(LEARNING_RATE.name()), options.number(BASELINE_DECAY.name()),
                    options.number(ENTROPY_WEIGHT.name()), options.number(WARM_START_PROBABILITY.name()));
        }

        private static void check(Option option, double value) {
            try {
                option.read(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option.name() + ": " + e.getMessage(), e);
            }
        }
    }

    private static final int STATE_VERSION = 1;

    /**
     * Draws per temperature before the policy is flattened: a policy that finds nothing new in 50
     * draws has put most of its mass on functions already proposed.
     */
    private static final int DRAWS_PER_ROUND = 50;

    /** Temperatures tried, doubling from 1; the last (512) makes any logits learned here nearly uniform. */
    private static final int TEMPERATURE_ROUNDS = 10;

    private static final double ADAM_BETA1 = 0.9;
    private static final double ADAM_BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;

    private final SearchSpace<A> space;
    private final Encoding<A> encoding;
    private final Settings settings;
    /** First index of each position's values in the flat arrays below. */
    private final int[] offsets;
    private final int maxCardinality;
    private final double[] logits;
    private final double[] adamFirst;
    private final double[] adamSecond;
    private long adamSteps;
    private double baseline;
    /** Trials trained to the end; the baseline and the worst reward mean something once it is positive. */
    private long finished;
    private double worst;
    private long tells;
    private Rng random;
    private final Deque<A> warm = new ArrayDeque<>();
    /** Canonical hashes of every function proposed, in order. */
    private final Set<String> proposed = new LinkedHashSet<>();
    /**
     * Text forms whose function is in {@link #proposed}: a cache, since a canonical form costs tens of
     * microseconds and a concentrated policy draws the same strings again. Not part of the state: it
     * only saves work, never changes an answer.
     */
    private final Set<String> knownKeys = new HashSet<>();

    private ReinforceController(SearchSpace<A> space, long seed, Settings settings) {
        this.space = space;
        this.encoding = space.encoding();
        this.settings = settings;
        this.offsets = new int[encoding.length() + 1];
        int max = 0;
        for (int i = 0; i < encoding.length(); i++) {
            offsets[i + 1] = offsets[i] + encoding.cardinality(i);
            max = Math.max(max, encoding.cardinality(i));
        }
        this.maxCardinality = max;
        this.logits = new double[offsets[encoding.length()]];
        this.adamFirst = new double[logits.length];
        this.adamSecond = new double[logits.length];
        this.random = Rng.of(seed);
    }

    /** REINFORCE over {@code space} with the default settings; the same seed proposes the same sequence. */
    public static <A extends Architecture> ReinforceController<A> of(SearchSpace<A> space, long seed) {
        return of(space, seed, Settings.DEFAULTS);
    }

    /** REINFORCE over {@code space} with {@code settings}. */
    public static <A extends Architecture> ReinforceController<A> of(SearchSpace<A> space, long seed,
            Settings settings) {
        return new ReinforceController<>(Objects.requireNonNull(space, "space"), seed,
                Objects.requireNonNull(settings, "settings"));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The settings this controller was made with. */
    public Settings settings() {
        return settings;
    }

    /**
     * The policy's current distribution over the values of encoding position {@code position}, for
     * logs and dashboards.
     */
    public double[] probabilities(int position) {
        Objects.checkIndex(position, encoding.length());
        double[] p = new double[encoding.cardinality(position)];
        softmax(position, p);
        return p;
    }

    /** The reward baseline, or empty before any trial has finished. */
    public OptionalDouble baseline() {
        return finished == 0 ? OptionalDouble.empty() : OptionalDouble.of(baseline);
    }

    /** Results told so far, of every outcome. */
    public long tells() {
        return tells;
    }

    @Override
    public void warmStart(List<A> bestFirst) {
        warm.addAll(bestFirst);
        if (bestFirst.isEmpty()) {
            return;
        }
        int[] best = encoding.encode(bestFirst.getFirst());
        double q = settings.warmStartProbability();
        for (int i = 0; i < best.length; i++) {
            int k = encoding.cardinality(i);
            // Logit b for the best choice and 0 for the k - 1 others give it e^b / (e^b + k - 1) = q.
            if (q > 1.0 / k) {
                logits[offsets[i] + best[i]] = StrictMath.log(q * (k - 1) / (1 - q));
            }
        }
    }

    @Override
    public Decision<A> ask() {
        while (!warm.isEmpty()) {
            A candidate = warm.poll();
            if (novel(candidate)) {
                return Decision.propose(candidate);
            }
        }
        double[] p = new double[logits.length];
        double[] row = new double[maxCardinality];
        A candidate = null;
        double temperature = 1;
        for (int round = 0; round < TEMPERATURE_ROUNDS; round++, temperature *= 2) {
            for (int i = 0; i < encoding.length(); i++) {
                int k = softmax(i, row, temperature);
                System.arraycopy(row, 0, p, offsets[i], k);
            }
            for (int draw = 0; draw < DRAWS_PER_ROUND; draw++) {
                candidate = sample(p);
                if (novel(candidate)) {
                    return Decision.propose(candidate);
                }
            }
        }
        return Decision.propose(candidate);
    }

    /** Whether {@code candidate}'s function was not proposed before; if so, it counts as proposed now. */
    private boolean novel(A candidate) {
        if (!knownKeys.add(candidate.key())) {
            return false;
        }
        return proposed.add(space.canonical(candidate).hash());
    }

    /** One draw of the policy whose distributions, position after position, are the slices of {@code p}. */
    private A sample(double[] p) {
        int[] genes = new int[encoding.length()];
        for (int i = 0; i < genes.length; i++) {
            int last = offsets[i + 1] - 1;
            double u = random.nextDouble();
            int choice = last;
            double cumulative = 0;
            for (int x = offsets[i]; x < last; x++) {
                cumulative += p[x];
                if (u < cumulative) {
                    choice = x;
                    break;
                }
            }
            genes[i] = choice - offsets[i];
        }
        return encoding.decode(genes);
    }

    @Override
    public void tell(Observation<A> observation) {
        int[] choices = encoding.encode(observation.architecture());
        tells++;
        switch (observation.outcome()) {
            case SUCCEEDED -> {
                double reward = observation.accuracy().orElseThrow();
                if (finished == 0) {
                    baseline = reward;
                    worst = reward;
                }
                // The advantage uses the baseline before this reward so that it does not depend on the action.
                double advantage = reward - baseline;
                baseline = settings.baselineDecay() * baseline + (1 - settings.baselineDecay()) * reward;
                worst = Math.min(worst, reward);
                finished++;
                update(choices, advantage);
            }
            case STOPPED -> {
                if (finished > 0) {
                    double reward = Math.max(worst, Math.min(baseline, observation.accuracy().orElseThrow()));
                    update(choices, reward - baseline);
                }
            }
            case FAILED -> {
                if (finished > 0) {
                    update(choices, worst - baseline);
                }
            }
        }
    }

    /** One Adam ascent step on {@code advantage * log p(choices) + entropyWeight * entropy}. */
    private void update(int[] choices, double advantage) {
        adamSteps++;
        double beta = settings.entropyWeight();
        double firstCorrection = 1 - StrictMath.pow(ADAM_BETA1, adamSteps);
        double secondCorrection = 1 - StrictMath.pow(ADAM_BETA2, adamSteps);
        double[] p = new double[maxCardinality];
        double[] gradient = new double[maxCardinality];
        for (int i = 0; i < choices.length; i++) {
            int k = softmax(i, p);
            double entropy = 0;
            for (int j = 0; j < k; j++) {
                if (p[j] > 0) {
                    entropy -= p[j] * StrictMath.log(p[j]);
                }
            }
            for (int j = 0; j < k; j++) {
                // d log p(c) / d logit_j = [j = c] - p_j;  d entropy / d logit_j = -p_j (log p_j + entropy).
                double logP = p[j] > 0 ? StrictMath.log(p[j]) : 0;
                gradient[j] = advantage * ((j == choices[i] ? 1 : 0) - p[j]) - beta * p[j] * (logP + entropy);
            }
            for (int j = 0; j < k; j++) {
                int x = offsets[i] + j;
                adamFirst[x] = ADAM_BETA1 * adamFirst[x] + (1 - ADAM_BETA1) * gradient[j];
                adamSecond[x] = ADAM_BETA2 * adamSecond[x] + (1 - ADAM_BETA2) * gradient[j] * gradient[j];
                double m = adamFirst[x] / firstCorrection;
                double v = adamSecond[x] / secondCorrection;
                logits[x] += settings.learningRate() * m / (StrictMath.sqrt(v) + ADAM_EPSILON);
            }
        }
    }

    /** Fills {@code p} with the distribution of {@code position}; returns its cardinality. */
    private int softmax(int position, double[] p) {
        return softmax(position, p, 1);
    }

    /** The same at {@code temperature}: logits divided by it, flatter above 1. */
    private int softmax(int position, double[] p, double temperature) {
        int from = offsets[position];
        int k = offsets[position + 1] - from;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, logits[from + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = StrictMath.exp((logits[from + j] - max) / temperature);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return k;
    }

    @Override
    public ControllerState snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("logits", list(logits));
        s.put("adamFirst", list(adamFirst));
        s.put("adamSecond", list(adamSecond));
        s.put("adamSteps", adamSteps);
        s.put("baseline", baseline);
        s.put("finished", finished);
        s.put("worst", worst);
        s.put("tells", tells);
        s.put("random", StateReader.rng(random));
        s.put("warm", warm.stream().map(Architecture::key).toList());
        s.put("proposed", new ArrayList<>(proposed));
        return new ControllerState(NAME, STATE_VERSION, s);
    }

    private static List<Double> list(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    private void checkLength(String field, double[] values) {
        if (values.length != logits.length) {
            throw new IllegalArgumentException(NAME + " state." + field + ": expected " + logits.length
                    + " values for this space's encoding, got " + values.length);
        }
    }

    @Override
    public void restore(ControllerState state) {
        StateReader r = state.reader(NAME, List.of(STATE_VERSION));
        double[] l = r.reals("logits");
        double[] m = r.reals("adamFirst");
        double[] v = r.reals("adamSecond");
        checkLength("logits", l);
        checkLength("adamFirst", m);
        checkLength("adamSecond", v);
        long steps = r.longValue("adamSteps");
        long done = r.longValue("finished");
        long told = r.longValue("tells");
        if (steps < 0 || done < 0 || told < 0) {
            throw new IllegalArgumentException(NAME + " state: adamSteps, finished and tells must be >= 0");
        }
        double b = r.real("baseline");
        double w = r.real("worst");
        Rng rng = r.rng("random");
        List<A> pending = new ArrayList<>();
        for (String key : r.strings("warm")) {
            pending.add(space.parse(key));
        }
        List<String> functions = r.strings("proposed");
        // Only a state that was read whole replaces the current one.
        System.arraycopy(l, 0, logits, 0, l.length);
        System.arraycopy(m, 0, adamFirst, 0, m.length);
        System.arraycopy(v, 0, adamSecond, 0, v.length);
        adamSteps = steps;
        finished = done;
        tells = told;
        baseline = b;
        worst = w;
        random = rng;
        warm.clear();
        warm.addAll(pending);
        proposed.clear();
        proposed.addAll(functions);
        knownKeys.clear();
    }
}
