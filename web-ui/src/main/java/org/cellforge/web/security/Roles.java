package org.cellforge.web.security;

/**
 * The two roles. A viewer reads searches and exports results; an operator may also start, cancel,
 * pause, resume, retrain and delete. An account holds one of them; an operator's identity carries
 * both, so a check for reading is one role whoever asks.
 */
public final class Roles {

    /** Reads and exports. */
    public static final String VIEWER = "viewer";

    /** Reads, exports and changes. */
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
