package org.cellforge.web.search;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cellforge.persistence.Transactions;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** Transactions on the application's managed EntityManager, for the store and queries the command line shares. */
@ApplicationScoped
public class QuarkusTransactions implements Transactions {

    @Inject
    EntityManager em;

    @Override
    public <T> T call(Function<EntityManager, T> work) {
        return QuarkusTransaction.requiringNew().call(() -> work.apply(em));
    }
}
