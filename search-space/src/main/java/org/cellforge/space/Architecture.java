package org.cellforge.space;

/**
 * One point of a search space. Implementations are immutable values; their {@link #key()} is the
 * public text form, used for storage and de-duplication because op indices differ between libraries.
 */
public interface Architecture {

    /** Name of the space this architecture belongs to, for example {@code nas-bench-201}. */
    String space();

    /** The public text form, which {@link SearchSpace#parse(String)} reads back to an equal value. */
    String key();
}
