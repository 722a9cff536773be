/**
 * Runs searches on this machine: the engine wired to the ND4J evaluator and to PostgreSQL, datasets,
 * and exports of results.
 */
package org.cellforge.runner;
