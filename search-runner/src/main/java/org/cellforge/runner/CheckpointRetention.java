package org.cellforge.runner;

import java.lang.System.Logger.Level;
import java.util.Objects;

import org.cellforge.engine.SearchEvent;
import org.cellforge.engine.SearchListener;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.persistence.Transactions;

/**
 * Bounds what a search stores: when it ends, the trained networks (ONNX checkpoints) of its trials
 * are removed except those of its {@code keep} best by stand-alone validation accuracy and of its
 * Pareto fronts' trials (see {@link SearchRepository#pruneCheckpoints}). A search of a thousand
 * trials would otherwise keep a thousand networks nobody exports. Retrained networks have their own
 * checkpoints and stay; removed trials still export as JSON.
 */
public final class CheckpointRetention implements SearchListener {

    private static final System.Logger LOG = System.getLogger(CheckpointRetention.class.getName());

    private final Transactions tx;
    private final int keep;

    private CheckpointRetention(Transactions tx, int keep) {
        this.tx = tx;
        this.keep = keep;
    }

    /** Keeps the checkpoints of each ended search's {@code keep} best trials. */
    public static CheckpointRetention keepBest(Transactions tx, int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be 0 or more, got " + keep);
        }
        return new CheckpointRetention(Objects.requireNonNull(tx, "tx"), keep);
    }

    @Override
    public void on(SearchEvent event) {
        if (!(event instanceof SearchEvent.Finished f)) {
            return;
        }
        // The process that ran the search to its end still holds its lock here, so no other process
        // writes checkpoints of it meanwhile.
        long[] removed = tx.call(em -> new SearchRepository(em).pruneCheckpoints(f.searchId(), keep));
        if (removed[0] > 0) {
            LOG.log(Level.INFO, "search {0} ended: removed {1} trial checkpoint(s) ({2} bytes), keeping its best {3}",
                    f.searchId(), removed[0], removed[1], keep);
        }
    }
}
