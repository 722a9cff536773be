package org.cellforge.persistence;

import java.util.List;
import java.util.function.Function;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

import org.flywaydb.core.Flyway;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

/**
 * PostgreSQL through Hibernate ORM without an application server: a small connection pool, the
 * schema brought up to date by Flyway, and an EntityManagerFactory over the entities. The command
 * line uses it; the Quarkus application has its own managed equivalent.
 */
public final class Database implements Transactions, AutoCloseable {

    /** Every entity, for bootstraps that do not scan the class path. */
    public static final List<Class<?>> ENTITIES = List.of(SearchEntity.class, TrialEntity.class,
            TrialEpochEntity.class, TrialCheckpointEntity.class, RetrainEntity.class, RetrainCheckpointEntity.class);

    private final AgroalDataSource dataSource;
    private final EntityManagerFactory factory;

    private Database(AgroalDataSource dataSource, EntityManagerFactory factory) {
        this.dataSource = dataSource;
        this.factory = factory;
    }

    /**
     * Connects, migrates the schema and starts Hibernate.
     *
     * @throws IllegalStateException naming the URL if the database cannot be reached or migrated
     */
    public static Database connect(String jdbcUrl, String user, String password) {
        AgroalDataSource ds;
        try {
            ds = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .minSize(0)
                            .maxSize(8)
                            .connectionFactoryConfiguration(cf -> cf
                                    .jdbcUrl(jdbcUrl)
                                    .principal(new NamePrincipal(user))
                                    .credential(new SimplePassword(password)))));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a connection pool for " + jdbcUrl + ": " + e.getMessage(),
                    e);
        }
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            HibernatePersistenceConfiguration config = new HibernatePersistenceConfiguration("cellforge")
                    .property(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, ds)
                    .property(AvailableSettings.SHOW_SQL, false);
            ENTITIES.forEach(config::managedClass);
            return new Database(ds, config.createEntityManagerFactory());
        } catch (RuntimeException e) {
            ds.close();
            throw new IllegalStateException("cannot open the database at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T call(Function<EntityManager, T> work) {
        try (EntityManager em = factory.createEntityManager()) {
            EntityTransaction tx = em.getTransaction();
            tx.begin();
            try {
                T result = work.apply(em);
                tx.commit();
                return result;
            } catch (RuntimeException e) {
                if (tx.isActive()) {
                    tx.rollback();
                }
                throw e;
            }
        }
    }

    /** The connection pool, for what keeps its own tables or sessions in the same database (jobs, locks). */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        factory.close();
        dataSource.close();
    }
}
