package org.cellforge.controller;

/**
 * What an architecture costs, known without training: hard limits are checked on it before a
 * candidate is proposed.
 *
 * @param parameters trainable parameters of the network the search builds around the cell
 * @param flops multiply-accumulates per image
 */
public record Cost(long parameters, long flops) {

    public Cost {
        if (parameters < 0 || flops < 0) {
            throw new IllegalArgumentException("parameters and flops must be >= 0, got " + parameters + " and "
                    + flops);
        }
    }

    /** Which cost a second objective or a limit refers to. */
    public enum Kind {
        /** Trainable parameters. */
        PARAMETERS,
        /** Multiply-accumulates per image. */
        FLOPS;

        /** The configuration name, lower case. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** This kind's value of {@code cost}. */
        public long of(Cost cost) {
            return this == PARAMETERS ? cost.parameters() : cost.flops();
        }
    }
}
