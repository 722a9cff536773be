package org.cellforge.space;

import java.io.Serial;

/** A text form that does not describe an architecture of the space, with where and why. */
public final class ArchitectureFormatException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String token;
    private final int position;

    /**
     * @param text the whole input
     * @param token the offending part of it (may be empty at the end of input)
     * @param position zero-based character offset of {@code token} in {@code text}
     * @param reason what is wrong and how to fix it
     */
    public ArchitectureFormatException(String text, String token, int position, String reason) {
        super("bad architecture '" + text + "': token '" + token + "' at position " + position + ": " + reason);
        this.token = token;
        this.position = position;
    }

    /** The offending part of the input. */
    public String token() {
        return token;
    }

    /** Zero-based character offset of {@link #token()} in the input. */
    public int position() {
        return position;
    }
}
