/**
 * Searches across processes: trials as durable JobRunr jobs on the application's PostgreSQL, trained by
 * worker processes; each search coordinated by one process at a time under a PostgreSQL advisory lock.
 */
package org.cellforge.runner.jobs;
