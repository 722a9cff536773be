package org.cellforge.runner.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cellforge.controller.Cost;
import org.cellforge.engine.EpochRecord;
import org.cellforge.engine.SearchEvent;
import org.cellforge.engine.SupernetEpoch;
import org.cellforge.engine.SearchListener;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.TrialResult;
import org.cellforge.engine.TrialStatus;

/**
 * Prints a search's progress, one line per trial, and a summary; every accuracy says its kind
 * (stand-alone validation during the search, retrained test at the end).
 */
final class Progress implements SearchListener {

    private final PrintStream out;
    private final SearchRequest request;
    private final long start = System.nanoTime();
    private final List<SearchEvent.TrialFinished> trials = new ArrayList<>();
    /** Trials finished before this process resumed the search; counted in {@link #trials} too. */
    private int earlier;
    private final List<SearchEvent.RetrainFinished> retrains = new ArrayList<>();
    /** Stand-alone trainings of the best estimates of a weight-sharing search. */
    private final List<SearchEvent.TrialFinished> finalists = new ArrayList<>();
    private int repeats;
    private long retrainStart;
    private String error;

    Progress(PrintStream out, SearchRequest request) {
        this.out = out;
        this.request = request;
    }

    @Override
    public synchronized void on(SearchEvent event) {
        switch (event) {
            case SearchEvent.Started s -> out.printf(Locale.ROOT,
                    "cellforge: search %d%s on %s with %s%s: %s on %s (train %d, validation %d, split seed %d)%n",
                    s.searchId(), request.recipeLabel().isEmpty() ? "" : " (recipe " + request.recipeLabel() + ")",
                    request.space(), request.controller(),
                    request.options().isEmpty() ? "" : " " + request.options(), plan(request), request.dataset(),
                    request.trainSize(), request.validationSize(), request.splitSeed());
            case SearchEvent.WarmStarted w -> out.printf(Locale.ROOT,
                    "warm start: scored %d candidates with NASWOT at initialization (no training); best %s "
                            + "(score %.1f)%n", w.scored(), w.best().isEmpty() ? "-" : w.best().get(0).arch(),
                    w.best().isEmpty() ? Double.NaN : w.best().get(0).score());
            case SearchEvent.TrialFinished t -> {
                boolean finalist = request.weightSharing() && !t.estimate();
                (finalist ? finalists : trials).add(t);
                // A finalist is a trial estimated before: its line names the trial, not a place in the budget.
                out.println(finalist ? "  " + trialLine(t).replaceFirst("^\\[\\d+/\\d+\\]", "[trial " + t.number()
                        + "]") : trialLine(t));
            }
            case SearchEvent.SupernetTrained e -> out.println(supernetLine(e.epoch()));
            case SearchEvent.Resumed r -> out.printf(Locale.ROOT, "cellforge: search %d resumes %s%n", r.searchId(),
                    !request.weightSharing() ? "from its controller's stored state, keeping the trials it finished"
                            : r.fromEpoch() == 0 ? "from the start (it stored no checkpoint)"
                            : "after supernet epoch " + r.fromEpoch() + " from its checkpoint");
            case SearchEvent.FinalistStarted f -> out.printf(Locale.ROOT,
                    "finalist: training trial %d stand-alone (supernet estimate %.4f)%n", f.number(), f.estimate());
            case SearchEvent.Repeated r -> repeats++;
            case SearchEvent.RetrainStarted r -> {
                if (retrainStart == 0) {
                    retrainStart = System.nanoTime();
                }
                out.printf(Locale.ROOT, "retraining trial %d's architecture on %s for %d epoch(s)%s, then testing it "
                        + "once%n", r.number(), request.retrainingSettings().allImages()
                                ? "every image of the training file"
                                : "train+validation (" + (request.trainSize() + request.validationSize()) + " images)",
                        r.epochs(), request.retrainingSettings().budget().map(b -> Double.isFinite(r.secondsPerEpoch())
                                ? String.format(Locale.ROOT, " (budget: %s at its trial's pace, %.1f s per epoch, at "
                                        + "most %d)", b, r.secondsPerEpoch(), request.retrainEpochs())
                                : String.format(Locale.ROOT, " (budget: %s, its trial's pace unknown: planned after "
                                        + "its first epoch, at most %d)", b, request.retrainEpochs())).orElse(""));
            }
            case SearchEvent.RetrainReplanned r -> out.println(r.epoch() == 1
                    ? String.format(Locale.ROOT, "  its first epoch took %.1f s: %d epoch(s) fit the budget, not %d",
                            r.secondsPerEpoch(), r.epochs(), r.before())
                    : String.format(Locale.ROOT, "  after epoch %d, %.1f minutes spent, %.1f s per epoch: %d "
                            + "epoch(s) fit the budget, not %d", r.epoch(), r.spentSeconds() / 60,
                            r.secondsPerEpoch(), r.epochs(), r.before()));
            case SearchEvent.RetrainEpoch e -> out.println(retrainEpoch(e.epoch()));
            case SearchEvent.RetrainFinished r -> {
                retrains.add(r);
                out.println(r.result().succeeded()
                        ? String.format(Locale.ROOT, "  test accuracy %.4f (retrained test, %d test images%s)  %s",
                                r.result().testAccuracy(), r.result().testImages(), viewsAveraged(), r.arch())
                        : "  retraining failed: " + r.result().failure().orElse("?"));
            }
            case SearchEvent.Finished f -> error = f.error();
            default -> {
                // Trial starts and epochs are shown through the trial's line when it ends.
            }
        }
    }

    /** How the test predictions were made, when not from the images alone. */
    private String viewsAveraged() {
        return request.retrainingSettings().testedAs().map(a -> "; " + a).orElse("");
    }

    private static String retrainEpoch(EpochRecord e) {
        return String.format(Locale.ROOT, "  epoch %d: loss %.4f, train accuracy %.4f, %.1f s", e.epoch(),
                e.trainLoss(), e.trainAccuracy(), e.seconds());
    }

    /** What the search will do, in words. */
    static String plan(SearchRequest r) {
        if (!r.weightSharing()) {
            return String.format(Locale.ROOT, "%d trial(s) of %d epoch(s)", r.trials(), r.epochs());
        }
        Object epochs = r.supernet().get("epochs");
        if (org.cellforge.controller.Controllers.named(r.controller()).map(k -> k.oneShot()).orElse(false)) {
            return String.format(Locale.ROOT, "%s epoch(s) of differentiable search on the relaxed supernet, then its "
                    + "genotype trained stand-alone for %d epoch(s)", epochs, r.epochs());
        }
        return String.format(Locale.ROOT, "weight sharing: %s supernet epoch(s) on %s paths, then %d candidate(s) "
                + "estimated on its weights and the best %s trained stand-alone for %d epoch(s)", epochs,
                r.supernet().get("sampling"), r.trials(), r.supernet().get("finalists"), r.epochs());
    }

    static String supernetLine(SupernetEpoch e) {
        EpochRecord m = e.metrics();
        return String.format(Locale.ROOT, "supernet epoch %d/%d: loss %.4f, train accuracy %.4f, %s %.4f (supernet "
                        + "estimate), %.1f s", e.epoch(), e.epochs(), m.trainLoss(), m.trainAccuracy(),
                e.alpha().isPresent() ? "relaxed network" : "last path", m.validationAccuracy(), m.seconds())
                + e.alpha().map(Progress::strongest).orElse("");
    }

    /** Each cell's strongest operation per edge, so a DARTS run shows where alpha is heading. */
    private static String strongest(List<SupernetEpoch.CellWeights> cells) {
        StringBuilder b = new StringBuilder();
        for (SupernetEpoch.CellWeights c : cells) {
            b.append("\n  ").append(c.cell()).append(':');
            for (double[] edge : c.weights()) {
                int k = 0;
                for (int j = 1; j < edge.length; j++) {
                    k = edge[j] > edge[k] ? j : k;
                }
                b.append(String.format(Locale.ROOT, " %s %.3f", c.ops().get(k), edge[k]));
            }
        }
        return b.toString();
    }

    static String trialLine(SearchEvent.TrialFinished t) {
        TrialResult r = t.result();
        String outcome = switch (r.status()) {
            case SUCCEEDED -> t.estimate()
                    ? String.format(Locale.ROOT, "estimate %.4f (supernet)", r.validationAccuracy())
                    : String.format(Locale.ROOT, "val_acc %.4f", r.validationAccuracy());
            case STOPPED -> String.format(Locale.ROOT, "val_acc %.4f, stopped early after %d epoch(s)",
                    r.validationAccuracy(), r.epochs());
            default -> "FAILED: " + r.failure().orElse("?");
        };
        return String.format(Locale.ROOT, "[%d/%d] %s  %s  params %,d  flops %s  %.1f s", t.number(), t.budget(),
                t.arch(), outcome, t.cost().parameters(), flops(t.cost()), r.seconds());
    }

    static String flops(Cost c) {
        double f = c.flops();
        return f >= 1e9 ? String.format(Locale.ROOT, "%.2fG", f / 1e9)
                : f >= 1e6 ? String.format(Locale.ROOT, "%.1fM", f / 1e6) : String.format(Locale.ROOT, "%.0fK", f / 1e3);
    }

    /**
     * Counts the trials a resumed search finished before this process took it up, so that the summary
     * and its best architecture cover the whole search; weight-sharing searches compute theirs again.
     */
    synchronized void earlier(long id, java.util.List<org.cellforge.engine.StoredTrial> stored) {
        if (request.weightSharing()) {
            return;
        }
        for (org.cellforge.engine.StoredTrial t : stored) {
            if (t.told() && t.status() != TrialStatus.RUNNING) {
                trials.add(new SearchEvent.TrialFinished(id, t.number(), t.arch(), t.cost(), t.result(),
                        request.trials(), false));
                earlier++;
            }
        }
    }

    /** Prints how the search ended and its best architecture. */
    synchronized void summary(long id, SearchStatus status) {
        long succeeded = trials.stream().filter(t -> t.result().status() == TrialStatus.SUCCEEDED).count();
        long stopped = trials.stream().filter(t -> t.result().status() == TrialStatus.STOPPED).count();
        long failed = trials.stream().filter(t -> t.result().status() == TrialStatus.FAILED).count();
        long end = System.nanoTime();
        long searchEnd = retrainStart == 0 ? end : retrainStart;
        String retraining = retrainStart == 0 ? "" : String.format(Locale.ROOT, ", final retraining in %.0f s",
                (end - retrainStart) / 1e9);
        if (request.weightSharing()) {
            out.printf(Locale.ROOT, "search %d %s in %.0f s: %d candidate(s) estimated on the supernet, %d finalist(s) "
                            + "trained stand-alone (%d failed)%s%n", id, status, (searchEnd - start) / 1e9,
                    trials.size(), finalists.size(), finalists.stream()
                            .filter(t -> t.result().status() == TrialStatus.FAILED).count(), retraining);
        } else {
            out.printf(Locale.ROOT, "search %d %s: %d trial(s) in %.0f s (%d trained to the end, %d stopped early, %d "
                            + "failed; %d repeated architecture(s) answered from earlier results)%s%n", id, status,
                    trials.size(), (searchEnd - start) / 1e9, succeeded, stopped, failed, repeats,
                    retraining + (earlier == 0 ? "" : "; " + earlier + " of the trials ended before it was resumed"));
        }
        if (error != null) {
            out.println("error: " + error);
        }
        (request.weightSharing() ? finalists : trials).stream()
                .filter(t -> t.result().status() == TrialStatus.SUCCEEDED)
                .max((a, b) -> Double.compare(a.result().validationAccuracy(), b.result().validationAccuracy()))
                .ifPresent(best -> {
                    out.printf(Locale.ROOT, "best: %s%n  validation accuracy %.4f (stand-alone validation, trial %d), "
                                    + "params %,d, flops %s%n", best.arch(), best.result().validationAccuracy(),
                            best.number(), best.cost().parameters(), flops(best.cost()));
                    retrains.stream().filter(r -> r.number() == best.number() && r.result().succeeded())
                            .forEach(r -> out.printf(Locale.ROOT, "  test accuracy %.4f (retrained test on %d images "
                                            + "after %d epoch(s) on %s, %d images%s)%n", r.result().testAccuracy(),
                                    r.result().testImages(), r.result().epochs(),
                                    request.retrainingSettings().allImages() ? "the whole training file"
                                            : "train+validation", r.result().trainImages(), viewsAveraged()));
                });
        if (retrains.size() > 1) {
            out.println("retrained front (accuracy against cost; test accuracy, retrained" + viewsAveraged() + "):");
            for (SearchEvent.RetrainFinished r : retrains) {
                out.printf(Locale.ROOT, "  trial %d  params %,d  flops %s  %s  %s%n", r.number(), r.cost().parameters(),
                        flops(r.cost()), r.result().succeeded() ? String.format(Locale.ROOT, "test %.4f",
                                r.result().testAccuracy()) : "failed", r.arch());
            }
        }
    }
}
