package org.cellforge.engine;

/** Receives a search's events, on the thread that stored them. */
@FunctionalInterface
public interface SearchListener {

    /** Handles one event; the engine logs and ignores what a listener throws, so a faulty listener cannot fail a search. */
    void on(SearchEvent event);

    /** A listener that calls this one, then {@code next}. */
    default SearchListener andThen(SearchListener next) {
        return e -> {
            on(e);
            next.on(e);
        };
    }

    /** Ignores events. */
    static SearchListener none() {
        return e -> { };
    }
}
