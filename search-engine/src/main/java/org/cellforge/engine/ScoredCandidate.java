package org.cellforge.engine;

/**
 * A candidate of a warm start with its zero-cost score at initialization (no training).
 *
 * @param arch the architecture's text form
 * @param score the NASWOT score, higher is better
 */
public record ScoredCandidate(String arch, double score) {
}
