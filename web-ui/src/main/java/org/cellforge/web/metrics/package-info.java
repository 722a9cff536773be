/** Meters of searches, trials, the trial queue and training throughput, read from the database. */
package org.cellforge.web.metrics;
