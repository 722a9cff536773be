package org.cellforge.engine;

import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/** Opens the evaluation of a search: loads its data and prepares its networks. */
@FunctionalInterface
public interface EvaluationFactory {

    /**
     * The evaluation of search {@code searchId} for {@code request} (normalized) on {@code space}.
     *
     * @throws InvalidRequestException if the request's data cannot be used (missing files, split too large)
     */
    <A extends Architecture> Evaluation<A> open(long searchId, SearchRequest request, SearchSpace<A> space);
}
