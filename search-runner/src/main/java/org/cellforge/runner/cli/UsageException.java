package org.cellforge.runner.cli;

import java.io.Serial;

/** A command line that cannot be run; the message names the flag and the reason. */
public final class UsageException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String mode;

    public UsageException(String mode, String message) {
        super(message);
        this.mode = mode;
    }

    /** The mode whose usage to show with the message, or null for the general usage. */
    public String mode() {
        return mode;
    }
}
