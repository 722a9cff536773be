/** Searches and trials stored in PostgreSQL through Hibernate ORM, and the embedded default server. */
package org.cellforge.persistence;
