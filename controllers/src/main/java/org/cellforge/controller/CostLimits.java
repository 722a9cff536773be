package org.cellforge.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;

/**
 * Hard limits on what a proposed architecture may cost. Controllers that honour them share the
 * option names {@value #MAX_PARAMETERS} and {@value #MAX_FLOPS}, so that a baseline can search the
 * same constrained space as the strategy it is compared with.
 *
 * @param maxParameters the most trainable parameters, if limited
 * @param maxFlops the most multiply-accumulates per image, if limited
 */
public record CostLimits(OptionalLong maxParameters, OptionalLong maxFlops) {

    /** Option: hard limit on trainable parameters. */
    public static final String MAX_PARAMETERS = "maxParameters";

    /** Option: hard limit on multiply-accumulates per image. */
    public static final String MAX_FLOPS = "maxFlops";

    /** The two options, off by default. */
    public static final List<Option> OPTIONS = List.of(
            Option.integer(MAX_PARAMETERS, null, 1, Long.MAX_VALUE,
                    "hard limit on trainable parameters: nothing larger is proposed"),
            Option.integer(MAX_FLOPS, null, 1, Long.MAX_VALUE,
                    "hard limit on multiply-accumulates per image: nothing larger is proposed"));

    /**
     * @throws IllegalArgumentException if a limit is not positive
     */
    public CostLimits {
        Objects.requireNonNull(maxParameters, "maxParameters");
        Objects.requireNonNull(maxFlops, "maxFlops");
        if (maxParameters.isPresent() && maxParameters.getAsLong() < 1
                || maxFlops.isPresent() && maxFlops.getAsLong() < 1) {
            throw new IllegalArgumentException("limits must be positive, got " + maxParameters + " and " + maxFlops);
        }
    }

    /** No limits. */
    public static CostLimits none() {
        return new CostLimits(OptionalLong.empty(), OptionalLong.empty());
    }

    /** The limits among validated options that declare {@link #OPTIONS}. */
    public static CostLimits of(Options options) {
        return new CostLimits(
                options.optionalInteger(MAX_PARAMETERS).map(OptionalLong::of).orElse(OptionalLong.empty()),
                options.optionalInteger(MAX_FLOPS).map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    /** Whether any limit is set. */
    public boolean any() {
        return maxParameters.isPresent() || maxFlops.isPresent();
    }

    /** Whether {@code cost} is within both limits. */
    public boolean allows(Cost cost) {
        return (maxParameters.isEmpty() || cost.parameters() <= maxParameters.getAsLong())
                && (maxFlops.isEmpty() || cost.flops() <= maxFlops.getAsLong());
    }

    /** The limits that are set, as users write them, such as {@code maxParameters=500000}. */
    @Override
    public String toString() {
        List<String> set = new ArrayList<>();
        maxParameters.ifPresent(v -> set.add(MAX_PARAMETERS + "=" + v));
        maxFlops.ifPresent(v -> set.add(MAX_FLOPS + "=" + v));
        return set.isEmpty() ? "no limits" : String.join(" and ", set);
    }
}
