package org.cellforge.evaluator;

/** Helpers for reading an optimizer's state back from its names. */
final class OptimizerState {

    private OptimizerState() {
    }

    /**
     * {@code key} without {@code prefix}.
     *
     * @throws IllegalArgumentException if {@code key} is not state this optimizer writes
     */
    static String strip(String key, String prefix) {
        if (!key.startsWith(prefix)) {
            throw new IllegalArgumentException("optimizer state '" + key + "' is not of this optimizer (expected "
                    + prefix + "...)");
        }
        return key.substring(prefix.length());
    }
}
