package org.cellforge.engine;

import java.io.Serial;

/** A request that is valid but cannot be answered in the current state, such as no result yet. */
public final class ConflictException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
