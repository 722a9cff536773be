package org.cellforge.persistence;

import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.persistence.EntityManager;

/**
 * Runs work in a transaction of its own. The command line implements it on a plain Hibernate
 * bootstrap ({@link Database}), the Quarkus application on its managed EntityManager, so the store
 * and the queries are written once.
 */
@FunctionalInterface
public interface Transactions {

    /**
     * Runs {@code work} in a new transaction that commits when it returns and rolls back when it throws.
     */
    <T> T call(Function<EntityManager, T> work);

    /** {@link #call} for work without a result. */
    default void run(Consumer<EntityManager> work) {
        call(em -> {
            work.accept(em);
            return null;
        });
    }
}
