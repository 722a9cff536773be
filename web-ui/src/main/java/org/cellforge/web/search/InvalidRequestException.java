package org.cellforge.web.search;

import java.io.Serial;
import java.util.List;

/** A request that cannot run, with every field at fault. */
public final class InvalidRequestException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<SearchRequest.Violation> violations;

    public InvalidRequestException(List<SearchRequest.Violation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.reason()).reduce((a, b) -> a + "; " + b)
                .orElse("invalid request"));
        this.violations = List.copyOf(violations);
    }

    /** The fields at fault with reasons. */
    public List<SearchRequest.Violation> violations() {
        return violations;
    }
}
