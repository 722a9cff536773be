package org.cellforge.web.cli;

import java.io.Serial;

/** A command line that cannot be run; the message names the flag and the reason. */
public final class UsageException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
