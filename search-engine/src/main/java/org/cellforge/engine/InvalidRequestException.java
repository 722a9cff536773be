package org.cellforge.engine;

import java.io.Serial;
import java.util.List;

import org.cellforge.controller.option.Violation;

/** A request that cannot run, with every field at fault. */
public final class InvalidRequestException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidRequestException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).reduce((a, b) -> a + "; " + b).orElse("invalid request"));
        this.violations = List.copyOf(violations);
    }

    /** One field at fault. */
    public static InvalidRequestException of(String field, String reason) {
        return new InvalidRequestException(List.of(new Violation(field, reason)));
    }

    /** The fields at fault with reasons. */
    public List<Violation> violations() {
        return violations;
    }
}
